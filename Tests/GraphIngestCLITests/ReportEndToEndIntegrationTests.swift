import Foundation
import IntegrationSupport
import Testing

/// `graphingest report` against the real servers: the demo corpus ingested, a bad JSONL line
/// loaded (a dead letter with its line), then the page's figures against the registry's, its
/// network against the pairs, the same file twice, and the page in headless Chromium (no console
/// message, a real screenshot, the DOM with every node).
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized)
struct ReportEndToEndIntegrationTests {
    typealias E2E = IngestEndToEndIntegrationTests
    static let top = 15

    /// A scratch folder of the test's own.
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The cell after the row header `name` in the page's tables.
    static func figure(_ name: String, in page: String) -> String? {
        let head = "<th scope=\"row\">\(name)</th><td class=\"num\">"
        guard let start = page.range(of: head)?.upperBound, let end = page[start...].range(of: "</td>")?.lowerBound else { return nil }
        return String(page[start..<end])
    }

    /// An integer as the page writes it.
    static func grouped(_ text: String) -> String {
        guard Int(text) != nil else { return text }
        var grouped = ""
        for (index, digit) in text.enumerated() {
            if index > 0, (text.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return grouped
    }

    static func occurrences(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func thePageShowsTheRegistrysFiguresAndIsTheSameFileTwice() throws {
        let servers = try ScratchServers.make("report")
        defer { servers.drop() }
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try E2E.initialize(servers)
        // Before any run: a page that says so.
        let empty = folder.appendingPathComponent("empty.html")
        let before = try E2E.graphingest(["report", "--out", empty.path], servers)
        #expect(before.status == 0, "\(before.stderr)")
        #expect(try String(contentsOf: empty, encoding: .utf8).contains("No run recorded yet."))
        let ingest = try E2E.ingest(E2E.demo.appendingPathComponent("corpus").path, servers)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let bad = folder.appendingPathComponent("bad.jsonl")
        try #"{"kind":"mention","source":"nowhere.txt","key":"geo:1","count":1,"spans":[[0,1]]}"#.appending("\n")
            .write(to: bad, atomically: true, encoding: .utf8)
        #expect(try E2E.graphingest(["load", bad.path, "--quiet"], servers).status == 1)

        let first = folder.appendingPathComponent("first.html"), second = folder.appendingPathComponent("second.html")
        let output = try E2E.graphingest(["report", "--out", first.path, "--top", "\(Self.top)", "--json"], servers)
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try E2E.graphingest(["report", "--out", second.path, "--top", "\(Self.top)"], servers).status == 0)
        let page = try String(contentsOf: first, encoding: .utf8)
        #expect(try Data(contentsOf: first) == Data(contentsOf: second), "the same graph gives the same file")
        let unwritable = try E2E.graphingest(["report", "--out", folder.appendingPathComponent("missing/page.html").path], servers)
        #expect(unwritable.status == 2 && unwritable.stderr.contains("cannot write"), "\(unwritable.stderr)")
        let summary = try E2E.summary(output)
        #expect(summary["bytes"] as? Int == page.utf8.count && summary["path"] as? String == first.path)

        try Self.expectRegistryFigures(page, servers)
        try Self.expectNetwork(page, summary: summary, servers)
        #expect(page.contains("<td>bad.jsonl</td><td>line 1</td>") || page.contains("bad.jsonl</td><td>line 1</td>"), "the dead letter's line")
        try Self.expectLoadsInABrowser(first, nodes: Self.occurrences("class=\"node\"", in: page), folder: folder)
    }

    /// The corpus table and the top entity against SQL on the registry.
    static func expectRegistryFigures(_ page: String, _ servers: ScratchServers) throws {
        let row = try #require(try servers.sql("""
            SELECT (SELECT count(*) FROM graphingest.document_chunks), (SELECT count(*) FROM graphingest.entities),
                   (SELECT count(*) FROM graphingest.document_mentions), (SELECT sum(count) FROM graphingest.document_mentions),
                   (SELECT count(*) FROM graphingest.pair_totals WHERE count >= 2), (SELECT count(*) FROM graphingest.communities),
                   (SELECT count(*) FROM graphingest.documents)
            """).first)
        let names = ["chunks", "entities", "MENTIONS relationships", "mentions", "CO_OCCURS_WITH relations", "communities", "documents"]
        for (name, value) in zip(names, row) {
            #expect(figure(name, in: page) == grouped(value), "\(name)")
        }
        let loaded = try #require(try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'loaded'").first?.first)
        #expect(figure("loaded", in: page) == grouped(loaded))
        let topEntity = try #require(try servers.sql("""
            SELECT e.name, sum(m.count) FROM graphingest.document_mentions m JOIN graphingest.entities e ON e.id = m.entity_id
            GROUP BY e.id, e.name, e.key ORDER BY sum(m.count) DESC, e.key LIMIT 1
            """).first)
        let byMentions = try #require(page.range(of: "<caption>By mentions</caption>"))
        #expect(page[byMentions.upperBound...].contains(">\(topEntity[0])</span></th><td>"))
        #expect(figure("dead letters", in: page) == nil)
        #expect(page.contains("1 open, the newest first."))
    }

    /// The network's nodes and edges against the pairs among the most mentioned entities with one.
    static func expectNetwork(_ page: String, summary: [String: Any], _ servers: ScratchServers) throws {
        let expected = try #require(try servers.sql("""
            WITH linked AS (SELECT entity_a AS id FROM graphingest.pair_totals WHERE count >= 2
                            UNION SELECT entity_b FROM graphingest.pair_totals WHERE count >= 2),
            top AS (SELECT m.entity_id FROM graphingest.document_mentions m JOIN graphingest.entities e ON e.id = m.entity_id
                    WHERE m.entity_id IN (SELECT id FROM linked)
                    GROUP BY m.entity_id, e.key ORDER BY sum(m.count) DESC, e.key LIMIT \(top))
            SELECT (SELECT count(*) FROM top),
                   (SELECT count(*) FROM graphingest.pair_totals WHERE count >= 2
                      AND entity_a IN (SELECT entity_id FROM top) AND entity_b IN (SELECT entity_id FROM top))
            """).first)
        let nodes = Int(expected[0]) ?? -1, edges = min(Int(expected[1]) ?? -1, 4 * top)
        #expect(nodes > 3 && edges > 0, "the demo corpus draws a network")
        #expect(occurrences("class=\"node\"", in: page) == nodes)
        #expect(occurrences("class=\"edge\"", in: page) == edges)
        #expect(summary["nodes"] as? Int == nodes && summary["edges"] as? Int == edges)
        #expect(occurrences("<li id=\"community-", in: page) == summary["communities"] as? Int)
    }

    /// Chromium loads the page with no console message (no script error, no refused fetch), its
    /// DOM holds every node, its screenshot is a real picture, and it prints.
    static func expectLoadsInABrowser(_ page: URL, nodes: Int, folder: URL) throws {
        let browser = try HeadlessBrowser.find()
        // The check itself: a page that throws is caught.
        let broken = folder.appendingPathComponent("broken.html")
        try "<!DOCTYPE html><title>x</title><script>throw new Error('planted')</script>".write(to: broken, atomically: true, encoding: .utf8)
        let planted = try browser.screenshot(broken, to: folder.appendingPathComponent("broken.png"), width: 400, height: 300)
        #expect(planted.consoleMessages.contains { $0.contains("Uncaught") }, "console capture works: \(planted.stderr)")

        let png = folder.appendingPathComponent("report.png")
        // Half scale: the corpus and the network in a picture small enough for the README.
        let load = try browser.screenshot(page, to: png, width: 1100, height: 1800, scale: 0.5)
        #expect(load.consoleMessages.isEmpty, "\(load.consoleMessages)")
        let image = try #require(PNGImage(try Data(contentsOf: png)), "a PNG screenshot")
        #expect(image.width == 550 && image.height == 900)
        #expect(image.bytes > 20_000, "a page with text, tables and charts, not a blank: \(image.bytes) bytes")
        // Printed, through the print style sheet.
        let pdf = folder.appendingPathComponent("report.pdf")
        try browser.printToPDF(page, to: pdf)
        let printed = try Data(contentsOf: pdf)
        #expect(printed.starts(with: Array("%PDF".utf8)) && printed.count > 20_000, "\(printed.count) bytes")
        let dom = try browser.dom(page)
        #expect(occurrences("class=\"node\"", in: dom) == nodes)
        #expect(dom.contains("<svg class=\"network\""))
        if let keep = ProcessInfo.processInfo.environment["GRAPHINGEST_REPORT_SCREENSHOT"], !keep.isEmpty {
            _ = try? FileManager.default.removeItem(atPath: keep)
            try FileManager.default.copyItem(at: png, to: URL(fileURLWithPath: keep))
        }
    }

    @Test(arguments: [["--top", "0"], ["--top", "1001"], ["--top", "many"]])
    func aBadTopIsAUsageErrorNamingTheOption(arguments: [String]) throws {
        let output = try Shell.execute(IntegrationEnvironment.graphingest, ["report", "--out", "/dev/null"] + arguments)
        #expect(output.status == 2, "\(output.stderr)")
        #expect(output.stderr.contains("--top"))
    }

    @Test func aReportWithoutOutIsAUsageError() throws {
        let output = try Shell.execute(IntegrationEnvironment.graphingest, ["report"])
        #expect(output.status == 2 && output.stderr.contains("--out"), "\(output.stderr)")
    }
}
