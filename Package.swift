// swift-tools-version: 6.1
import PackageDescription

/// One settings array for every target: Swift 6 language mode and the upcoming features we hold
/// ourselves to.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "GraphIngest",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "graphingest", targets: ["graphingest"]),
        .library(name: "PackStream", targets: ["PackStream"]),
        .library(name: "Bolt", targets: ["Bolt"]),
        .library(name: "Extraction", targets: ["Extraction"]),
        .library(name: "Registry", targets: ["Registry"]),
        .library(name: "GraphStore", targets: ["GraphStore"]),
        .library(name: "Ingest", targets: ["Ingest"]),
        .library(name: "Communities", targets: ["Communities"]),
        .library(name: "Report", targets: ["Report"]),
        .library(name: "Kafka", targets: ["Kafka"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C shims
        .target(
            name: "CICU",
            linkerSettings: [
                // Foundation's own ICU must come first, or three of its C++ symbols bind to the
                // system ICU at run time (see STYLE.md, "ICU and Foundation").
                .linkedLibrary("_FoundationICU", .when(platforms: [.linux])),
                .linkedLibrary("icui18n"),
                .linkedLibrary("icuuc"),
                .linkedLibrary("icudata"),
            ]
        ),
        // SHA-256 block compression, with x86 SHA extensions when the CPU has them.
        .target(name: "CDigest"),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        // Leiden and modularity from igraph (Debian libigraph-dev), behind a header of plain C types.
        .target(name: "CIGraph", linkerSettings: [.linkedLibrary("igraph")]),
        // Consumer, producer and admin calls of librdkafka (Debian librdkafka-dev), behind a header of plain C types.
        .target(name: "CRDKafka", linkerSettings: [.linkedLibrary("rdkafka")]),

        // Library modules
        .target(name: "PackStream", dependencies: [
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: swiftSettings),
        .target(name: "Bolt", dependencies: [
            "PackStream",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOSSL", package: "swift-nio-ssl"),
        ], swiftSettings: swiftSettings),
        .target(name: "Extraction", dependencies: ["CICU", "CDigest"], swiftSettings: swiftSettings),
        .target(name: "Registry", dependencies: [
            "CLibPQ",
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ], swiftSettings: swiftSettings),
        .target(name: "GraphStore", dependencies: [
            "Bolt", "PackStream",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
        ], swiftSettings: swiftSettings),
        // A Kafka consumer in a group and a producer, over librdkafka.
        .target(name: "Kafka", dependencies: ["CRDKafka"], swiftSettings: swiftSettings),
        .target(name: "Ingest", dependencies: [
            "Extraction", "Registry", "GraphStore", "Communities", "Report", "Kafka",
            .product(name: "DequeModule", package: "swift-collections"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swiftSettings),
        // Hierarchical Leiden communities over the co-occurrence graph (igraph); pure computation.
        .target(name: "Communities", dependencies: ["CIGraph", "Extraction"], swiftSettings: swiftSettings),
        // `graphingest report`'s page: HTML and SVG from a plain value; no I/O, no dependency.
        .target(name: "Report", swiftSettings: swiftSettings),
        // Logging and metrics for the executable: swift-log lines, a Prometheus endpoint.
        .target(name: "Telemetry", dependencies: [
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ], swiftSettings: swiftSettings),
        .executableTarget(name: "graphingest", dependencies: [
            "Ingest", "GraphStore", "PackStream", "Extraction", "Telemetry", "Report", "Kafka",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swiftSettings),

        // Benchmarks (run by hand in release; never part of the tests)
        .executableTarget(name: "BoltBenchmark", dependencies: [
            "Bolt", "PackStream",
            .product(name: "NIOCore", package: "swift-nio"),
        ], path: "Benchmarks/BoltBenchmark", exclude: ["reference.py", "README.md"], swiftSettings: swiftSettings),
        // The registry's bulk operations and the queue's claims, against scripts/services:
        // `swift run -c release RegistryBenchmark [--scale N] [--claims]`.
        .executableTarget(name: "RegistryBenchmark", dependencies: ["Registry"], path: "Benchmarks/RegistryBenchmark",
                          swiftSettings: swiftSettings),

        // Leiden's time and memory at 10^5 to 10^7 edges: `swift run -c release CommunityBenchmark [--largest 7]`.
        .executableTarget(name: "CommunityBenchmark", dependencies: ["Communities"], path: "Benchmarks/CommunityBenchmark",
                          swiftSettings: swiftSettings),

        // Tests
        .target(name: "IntegrationSupport", path: "Tests/IntegrationSupport", swiftSettings: swiftSettings),
        // A scripted Bolt peer on 127.0.0.1:0, for Bolt's tests and for GraphStore's.
        .target(name: "BoltTestSupport", dependencies: [
            "Bolt", "PackStream",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ], path: "Tests/BoltTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "CICUTests", dependencies: ["CICU"], swiftSettings: swiftSettings),
        .testTarget(name: "CLibPQTests", dependencies: ["CLibPQ", "IntegrationSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PackStreamTests", dependencies: [
            "PackStream",
            .product(name: "NIOCore", package: "swift-nio"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "BoltTests", dependencies: [
            "Bolt", "BoltTestSupport", "IntegrationSupport",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOEmbedded", package: "swift-nio"),
            .product(name: "NIOTestUtils", package: "swift-nio"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "ExtractionTests", dependencies: ["Extraction", "CDigest", "CICU"], swiftSettings: swiftSettings),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "IntegrationSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GraphStoreTests", dependencies: ["GraphStore", "BoltTestSupport", "IntegrationSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "IngestTests", dependencies: [
            "Ingest", "IntegrationSupport", "Kafka", "Extraction",
            .product(name: "MetricsTestKit", package: "swift-metrics"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka", "IntegrationSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CommunitiesTests", dependencies: ["Communities"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Report"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(name: "TelemetryTests", dependencies: [
            "Telemetry",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "GraphIngestCLITests", dependencies: ["graphingest", "IntegrationSupport", "Kafka"], swiftSettings: swiftSettings),
    ]
)
