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

    /// Another extractor may write several mention lines for one document and entity, apart from
    /// each other and after another document's lines, or rename an entity between them: they add
    /// up to one MENTIONS.
    @Test func repeatedMentionLinesAddUp() throws {
        let sha = String(repeating: "0", count: 64)
        let lines = [
            #"{"kind":"entity","key":"e:1","name":"One","type":"T"}"#,
            #"{"kind":"entity","key":"e:2","name":"Two","type":"T"}"#,
            #"{"kind":"document","source":"a.txt","sha256":"\#(sha)","bytes":100,"title":"A"}"#,
            #"{"kind":"mention","source":"a.txt","key":"e:1","count":2,"spans":[[30,33],[10,13]]}"#,
            #"{"kind":"mention","source":"a.txt","key":"e:2","count":1,"spans":[[5,8]]}"#,
            #"{"kind":"document","source":"b.txt","sha256":"\#(sha)","bytes":100,"title":"B"}"#,
            #"{"kind":"mention","source":"b.txt","key":"e:1","count":1,"spans":[[0,3]]}"#,
            #"{"kind":"mention","source":"a.txt","key":"e:1","count":1,"spans":[[20,23]]}"#,
            #"{"kind":"document","source":"c.txt","sha256":"\#(sha)","bytes":100,"title":"C"}"#,
            #"{"kind":"mention","source":"c.txt","key":"e:1","count":1,"spans":[[1,2]]}"#,
            #"{"kind":"entity","key":"e:1","name":"Uno","type":"T"}"#,
            #"{"kind":"mention","source":"c.txt","key":"e:1","count":1,"spans":[[7,8]]}"#,
        ]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-load-\(UUID().uuidString).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let servers = try ScratchServers.make("loadrepeat")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)
        let output = try EndToEnd.graphingest(["load", file.path, "--json", "--quiet"], servers)
        #expect(output.status == 0, "\(output.stderr)")
        let expected = ["a.txt": ["e:1": 3, "e:2": 1], "b.txt": ["e:1": 1], "c.txt": ["e:1": 2]]
        #expect(try servers.graphMentions() == expected)
        #expect(try servers.registryMentions() == expected)
        #expect(try EndToEnd.counts(servers).relationships == 4, "one MENTIONS per document and entity")
        #expect(try servers.cypherWithPythonDriver("MATCH (e:Entity {key: 'e:1'}) RETURN e.name AS name").first?["name"] as? String == "Uno")
        let offsets = try servers.cypherWithPythonDriver(
            "MATCH (:Document {source: 'a.txt'})-[m:MENTIONS]->(:Entity {key: 'e:1'}) RETURN m.offsets AS offsets")
        #expect(offsets.first?["offsets"] as? [Int] == [10, 20, 30])
    }
}
