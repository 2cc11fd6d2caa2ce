import Foundation

/// Where the integration tests find their servers: the same environment variables the CLI reads,
/// which `scripts/services env` prints and `scripts/test` exports.
///
/// A missing variable fails the test that needs it, unless `GRAPHINGEST_SKIP_INTEGRATION=1` was
/// set on purpose, in which case suites gated on `isEnabled` do not run at all.
public enum IntegrationEnvironment {
    /// A variable the integration tests need was not set.
    public struct MissingVariable: Error, CustomStringConvertible {
        public var name: String
        public var description: String {
            "\(name) is not set: run the tests through scripts/test, or eval \"$(scripts/services env)\" first "
                + "(set GRAPHINGEST_SKIP_INTEGRATION=1 to skip integration tests on purpose)"
        }
    }

    /// False only when the runner asked to skip integration tests.
    public static var isEnabled: Bool {
        ProcessInfo.processInfo.environment["GRAPHINGEST_SKIP_INTEGRATION"] != "1"
    }

    /// The Bolt server's address and credentials.
    public struct BoltServer: Sendable {
        public var uri: String
        public var host: String
        public var port: Int
        public var user: String
        public var password: String
        public var database: String
    }

    public static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw MissingVariable(name: name)
        }
        return value
    }

    /// The Bolt server from `GRAPHINGEST_BOLT_URI`, `..._USER`, `..._PASSWORD`, `GRAPHINGEST_DATABASE`.
    public static func boltServer() throws -> BoltServer {
        let uri = try variable("GRAPHINGEST_BOLT_URI")
        guard let components = URLComponents(string: uri), let host = components.host else {
            throw MissingVariable(name: "GRAPHINGEST_BOLT_URI (unparsable: \(uri))")
        }
        return BoltServer(
            uri: uri,
            host: host,
            port: components.port ?? 7687,
            user: try variable("GRAPHINGEST_BOLT_USER"),
            password: try variable("GRAPHINGEST_BOLT_PASSWORD"),
            database: ProcessInfo.processInfo.environment["GRAPHINGEST_DATABASE"] ?? ""
        )
    }

    /// Checks that libpq's variables point at a server (PGHOST and PGPORT at least).
    public static func requirePostgres() throws {
        _ = try variable("PGHOST")
        _ = try variable("PGPORT")
    }

    /// The Kafka broker (`host:port`) from `GRAPHINGEST_TEST_KAFKA_BROKERS` (noida-db, started by
    /// `scripts/services up`).
    public static func kafkaBrokers() throws -> String {
        try variable("GRAPHINGEST_TEST_KAFKA_BROKERS")
    }

    /// The directory holding the built products (next to the test bundle).
    public static var productsDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    /// The repository's `fixtures/` folder.
    public static var fixturesDirectory: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures")
    }
}
