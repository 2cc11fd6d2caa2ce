import Foundation
import IntegrationSupport
import Testing

/// `graphingest load` of interchange JSONL end to end, on the real servers.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct LoadEndToEndIntegrationTests {
    typealias EndToEnd = IngestEndToEndIntegrationTests

    @Test func extractThenLoadEqualsExtractAndABadLineBecomesADeadLetter() throws {
        let corpus = EndToEnd.demo.appendingPathComponent("corpus").path
        let expected = try EndToEnd.extracted(corpus)
        let extracted = try Shell.run(IntegrationEnvironment.graphingest, ["extract", corpus, "--gazetteer", EndToEnd.gazetteer, "--rules", EndToEnd.rules])
        var lines = extracted.stdout.split(separator: "\n").map(String.init)
        let badLine = lines.count / 2 + 1
        lines.insert(#"{"kind":"mention","source":"nowhere.txt","key":"geo:1","count":1,"spans":[[0,1]]}"#, at: badLine - 1)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-load-\(UUID().uuidString).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let servers = try ScratchServers.make("load")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)
        let output = try EndToEnd.graphingest(["load", file.path, "--json", "--quiet", "--workers", "2"], servers)
        #expect(output.status == 1, "a bad line means exit 1: \(output.stderr)")
        #expect(output.stderr.contains("\(file.path):\(badLine)"))
        let summary = try EndToEnd.summary(output)
        #expect(summary["loaded"] as? Int == 32)
        #expect(summary["dead_letters"] as? Int == 1)
        #expect(try servers.graphMentions() == expected)
        #expect(try servers.registryMentions() == expected)
        #expect(try servers.sql("SELECT source, stage FROM graphingest.dead_letters") == [["\(file.path):\(badLine)", "load"]])

        // Loading the same file again changes nothing in the graph.
        let before = try EndToEnd.counts(servers)
        _ = try EndToEnd.graphingest(["load", file.path, "--quiet"], servers)
        #expect(try EndToEnd.counts(servers) == before)
        #expect(try servers.graphMentions() == expected)
    }
}
