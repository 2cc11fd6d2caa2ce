import Foundation
@testable import Report
import Testing

/// The page from a fixed value: escaped, deterministic, and byte for byte the golden file
/// (`GRAPHINGEST_UPDATE_GOLDEN=1` rewrites it after a change meant to alter the page).
@Suite struct ReportRendererTests {
    static let hostile = "<script>alert(\"x\")</script> & 'q'"

    /// A small report with every section filled, and text that must be escaped.
    static let data: ReportData = {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var corpus = ReportData.Corpus()
        corpus.statuses = [.init(status: "loaded", documents: 1_234, bytes: 5_678_901), .init(status: "failed", documents: 2, bytes: 10)]
        corpus.chunks = 4_321
        corpus.entities = 99
        corpus.entityTypes = [.init(name: "City", count: 60), .init(name: hostile, count: 39)]
        corpus.mentionRelationships = 777
        corpus.mentions = 8_888
        corpus.relations = 12
        corpus.pairs = 40
        corpus.minimumCooccurrence = 2
        corpus.communityLevels = [.init(name: "0", count: 5), .init(name: "1", count: 2)]
        let runs = [
            ReportData.Run(id: 2, command: "reindex", startedAt: start.addingTimeInterval(60), finishedAt: start.addingTimeInterval(65),
                           seconds: 5, documents: 10, bytes: 2_048, stages: [.init(name: "read", seconds: 1), .init(name: "commit", seconds: 3.25)]),
            ReportData.Run(id: 1, command: "ingest", startedAt: start, finishedAt: start.addingTimeInterval(20), seconds: 20, documents: 1_234,
                           bytes: 5_678_901, stages: [.init(name: "read", seconds: 2), .init(name: "extract", seconds: 9.5), .init(name: "commit", seconds: 12)]),
        ]
        let entities = [
            ReportData.Entity(key: "geo:1", name: "Paris", type: "City", mentions: 50, documents: 20, degree: 3),
            ReportData.Entity(key: "geo:2", name: hostile, type: "City", mentions: 30, documents: 10, degree: 2),
            ReportData.Entity(key: "geo:3", name: "Berlin", type: "City", mentions: 10, documents: 5, degree: 1),
        ]
        let network = ReportData.Network(
            nodes: [
                .init(key: "geo:1", name: "Paris", type: "City", mentions: 50, community: "1-aaaa", x: 0, y: 0.5),
                .init(key: "geo:2", name: hostile, type: "City", mentions: 30, community: "1-aaaa", x: 1, y: 0),
                .init(key: "geo:3", name: "Berlin", type: "City", mentions: 10, community: "1-bbbb", x: 0.25, y: 1),
                .init(key: "geo:4", name: "Nowhere", type: "City", mentions: 1, community: nil, x: 0.75, y: 0.75),
            ],
            edges: [.init(a: 0, b: 1, count: 9), .init(a: 0, b: 2, count: 2)], omittedEdges: 1)
        let communities = [
            ReportData.Community(id: "1-aaaa", level: 1, size: 2, documents: 25, title: "Paris, \(hostile)", summary: "Two cities & more.",
                                 members: ["Paris", hostile]),
            ReportData.Community(id: "1-cccc", level: 1, size: 3, documents: 1, title: "Elsewhere", summary: "Not drawn.", members: ["A", "B"]),
        ]
        let letters = [
            ReportData.DeadLetter(id: 7, runID: 2, source: "export.jsonl:12", stage: "load", error: "bad line \(hostile)",
                                  createdAt: start.addingTimeInterval(64)),
            ReportData.DeadLetter(id: 6, runID: 1, source: "records.jsonl#a1", stage: "extract", error: "undecodable", createdAt: start),
        ]
        return ReportData(
            top: 3, asOf: start.addingTimeInterval(65), corpus: corpus, runs: runs, topByMentions: entities, topByDegree: entities.reversed(),
            network: network, communities: communities, deadLetters: letters, openDeadLetters: 5,
            chunkSizes: ReportHistogram(frequencies: [100: 3, 1_500: 40, 900: 7]),
            mentionsPerDocument: ReportHistogram(frequencies: [0: 2, 3: 5, 10: 1]))
    }()

    static var golden: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/report.html")
    }

    @Test func thePageIsTheGoldenFileByteForByte() throws {
        let page = ReportRenderer().render(Self.data)
        #expect(page == ReportRenderer().render(Self.data))
        if ProcessInfo.processInfo.environment["GRAPHINGEST_UPDATE_GOLDEN"] == "1" {
            try Data(page.utf8).write(to: Self.golden)
        }
        let golden = try String(contentsOf: Self.golden, encoding: .utf8)
        #expect(page == golden, "the page differs from Tests/ReportTests/Fixtures/report.html (GRAPHINGEST_UPDATE_GOLDEN=1 rewrites it)")
    }

    @Test func everyTextFromTheDataIsEscaped() {
        let page = ReportRenderer().render(Self.data)
        #expect(!page.contains("<script"))
        #expect(!page.contains("alert(\"x\")"))
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"))
        #expect(ReportText.escape("a\u{1}b") == "a\u{FFFD}b")
    }

    @Test func thePageLoadsNothingAndDrawsEveryNodeAndEdge() {
        let page = ReportRenderer().render(Self.data)
        #expect(!page.contains("http://") && !page.contains("https://") && !page.contains("@import") && !page.contains("url("))
        #expect(page.contains("default-src 'none'"))
        #expect(page.components(separatedBy: "class=\"node\"").count - 1 == 4)
        #expect(page.components(separatedBy: "class=\"edge\"").count - 1 == 2)
        // The community's swatch links to its nodes, and its nodes' legend to its entry.
        #expect(page.contains("href=\"#net-1-aaaa\"") && page.contains("<g class=\"community\" id=\"net-1-aaaa\""))
        #expect(page.contains("href=\"#community-1-aaaa\"") && page.contains("<li id=\"community-1-aaaa\">"))
        #expect(page.contains("not among the network’s entities"))
    }

    @Test func anEmptyRegistryGivesAPageThatSaysSo() {
        let page = ReportRenderer().render(ReportData(top: 10))
        #expect(page.contains("No run recorded yet."))
        #expect(page.contains("No CO_OCCURS_WITH relation yet."))
        #expect(page.hasSuffix("</html>\n"))
    }

    @Test func histogramsKeepEmptyBinsAndCountEveryItem() {
        let histogram = ReportHistogram(frequencies: [1: 2, 10: 1, 41: 4], binCount: 4)
        #expect(histogram.bins.map(\.lower) == [1, 12, 23, 34])
        #expect(histogram.bins.map(\.count) == [3, 0, 0, 4])
        #expect(histogram.items == 7 && histogram.total == 2 + 10 + 164)
        #expect(ReportHistogram(frequencies: [5: 3]).bins == [.init(lower: 5, upper: 5, count: 3)])
        #expect(ReportHistogram(frequencies: [:]).bins.isEmpty)
    }

    @Test(arguments: [(1_234_567, "1,234,567"), (-1_000, "-1,000"), (999, "999"), (0, "0")])
    func integersAreGroupedWithoutALocale(value: Int, text: String) {
        #expect(ReportText.integer(value) == text)
    }

    @Test func decimalsAndBytesAreFixed() {
        #expect(ReportText.decimal(2.25, digits: 1) == "2.3")
        #expect(ReportText.decimal(-0.04) == "0.0")
        #expect(ReportText.decimal(1234.5, digits: 2) == "1,234.50")
        #expect(ReportText.coordinate(1234.56) == "1234.6")
        #expect(ReportText.bytes(512) == "512 B" && ReportText.bytes(1_536) == "1.5 KiB" && ReportText.bytes(5 << 20) == "5.0 MiB")
        #expect(ReportText.date(Date(timeIntervalSince1970: 0)) == "1970-01-01 00:00:00 UTC")
        #expect(ReportText.time(Date(timeIntervalSince1970: 0)) == "<time datetime=\"1970-01-01T00:00:00Z\">1970-01-01 00:00:00 UTC</time>")
        #expect(ReportText.clipped(String(repeating: "x", count: 500)).count == 401 && ReportText.clipped("short") == "short")
    }

    @Test func stagesKeepTheirOrderWhenARunLacksOne() {
        func run(_ names: [String]) -> ReportData.Run {
            ReportData.Run(id: 1, command: "ingest", startedAt: Date(), finishedAt: nil, seconds: nil, documents: nil, bytes: nil,
                           stages: names.map { .init(name: $0, seconds: 1) })
        }
        #expect(ReportRenderer.stageOrder([run(["read", "commit"]), run(["read", "extract", "commit", "cooccurrence_sync"])])
                == ["read", "extract", "commit", "cooccurrence_sync"])
        #expect(ReportRenderer.stageOrder([]) == [])
    }

    @Test func deadLettersNameTheirLineOrRecord() {
        func place(_ source: String, _ error: String = "x") -> ReportDeadLetterPlace {
            ReportDeadLetterPlace(ReportData.DeadLetter(id: 1, runID: nil, source: source, stage: "load", error: error, createdAt: Date()))
        }
        #expect(place("a.jsonl:12").file == "a.jsonl" && place("a.jsonl:12").position == "line 12")
        #expect(place("a.jsonl#id-9").position == "record id-9")
        #expect(place("doc.txt", "export.jsonl:40: bad chunk").position == "line 40")
        #expect(place("doc.txt", "cannot read").position == nil)
    }
}
