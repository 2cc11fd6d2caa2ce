import Foundation
import IntegrationSupport
import Testing

/// `graphingest init` + `ingest` end to end, on the real ArcadeDB and PostgreSQL, each test in
/// databases of its own.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct IngestEndToEndIntegrationTests {
    static let demo = IntegrationEnvironment.fixturesDirectory.appendingPathComponent("demo")
    static var gazetteer: String { demo.appendingPathComponent("gazetteer.tsv").path }
    static var rules: String { demo.appendingPathComponent("rules.tsv").path }

    static func graphingest(_ arguments: [String], _ servers: ScratchServers? = nil, environment: [String: String]? = nil) throws -> Shell.Output {
        try Shell.execute(IntegrationEnvironment.graphingest, arguments, environment: environment ?? servers?.environment)
    }

    static func ingest(_ corpus: String, _ servers: ScratchServers, extra: [String] = []) throws -> Shell.Output {
        try graphingest(["ingest", corpus, "--gazetteer", gazetteer, "--rules", rules, "--json", "--quiet"] + extra, servers)
    }

    /// What `extract` finds in a corpus: source -> entity key -> count.
    static func extracted(_ corpus: String) throws -> [String: [String: Int]] {
        let output = try Shell.run(IntegrationEnvironment.graphingest, ["extract", corpus, "--gazetteer", gazetteer, "--rules", rules])
        var mentions: [String: [String: Int]] = [:]
        for line in output.stdout.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            switch object["kind"] as? String {
            case "document": mentions[object["source"] as! String] = [:]
            case "mention": mentions[object["source"] as! String]![object["key"] as! String] = object["count"] as? Int
            default: break
            }
        }
        return mentions
    }

    static func summary(_ output: Shell.Output) throws -> [String: Any] {
        try #require(output.lastJSONObject, "no JSON summary; stderr: \(output.stderr)")
    }

    static func initialize(_ servers: ScratchServers) throws {
        let output = try graphingest(["init"], servers)
        #expect(output.status == 0, "init failed: \(output.stderr)")
    }

    /// Node and relationship counts, and whether any id is carried by two nodes.
    static func counts(_ servers: ScratchServers) throws -> (documents: Int, distinctDocuments: Int, entities: Int, relationships: Int) {
        let record = try #require(try servers.cypherWithPythonDriver("""
            MATCH (d:Document) WITH count(d) AS documents, count(DISTINCT d.id) AS distinctDocuments
            MATCH (e:Entity) WITH documents, distinctDocuments, count(e) AS entities
            OPTIONAL MATCH ()-[m:MENTIONS]->() RETURN documents, distinctDocuments, entities, count(m) AS relationships
            """).first)
        return (record["documents"] as! Int, record["distinctDocuments"] as! Int, record["entities"] as! Int, record["relationships"] as! Int)
    }

    @Test func demoCorpusLandsAsExtractedAndARerunChangesNothing() throws {
        let servers = try ScratchServers.make("demo")
        defer { servers.drop() }
        try Self.initialize(servers)
        let corpus = Self.demo.appendingPathComponent("corpus").path
        let expected = try Self.extracted(corpus)
        #expect(expected.count == 32)

        let first = try Self.ingest(corpus, servers)
        #expect(first.status == 0, "\(first.stderr)")
        let summary = try Self.summary(first)
        #expect(summary["loaded"] as? Int == 32)
        #expect(summary["dead_letters"] as? Int == 0)

        // The graph (read back by the official driver) and the registry both hold what extract found.
        #expect(try servers.graphMentions() == expected)
        #expect(try servers.registryMentions() == expected)
        let before = try Self.counts(servers)
        #expect(before.documents == 32 && before.distinctDocuments == 32)
        #expect(before.relationships == expected.values.reduce(0) { $0 + $1.count })
        #expect(before.entities == Set(expected.values.flatMap(\.keys)).count)

        // A second run skips every document and writes nothing.
        let second = try Self.ingest(corpus, servers)
        #expect(second.status == 0, "\(second.stderr)")
        let again = try Self.summary(second)
        #expect(again["unchanged"] as? Int == 32)
        #expect(again["loaded"] as? Int == 0)
        #expect(try Self.counts(servers) == before)
        #expect(try servers.sql("SELECT count(*) FROM graphingest.runs WHERE finished_at IS NOT NULL") == [["2"]])
    }

    @Test func badDocumentsBecomeDeadLettersAndTheRestLands() throws {
        let servers = try ScratchServers.make("bad")
        defer { servers.drop() }
        try Self.initialize(servers)
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: corpus) }
        try "Paris and Berlin are capitals.".write(to: corpus.appendingPathComponent("good.txt"), atomically: true, encoding: .utf8)
        try Data([0x50, 0x61, 0x72, 0x00, 0x69, 0x73, 0x00, 0x00]).write(to: corpus.appendingPathComponent("binary.txt"))
        try """
            {"id": "r1", "text": "Tokyo is in Japan."}
            {"id": "r2", "text": 
            {"id": "r3", "text": "London on the Thames."}

            """.write(to: corpus.appendingPathComponent("records.jsonl"), atomically: true, encoding: .utf8)

        let output = try Self.ingest(corpus.path, servers)
        #expect(output.status == 1, "finished with dead letters: \(output.stderr)")
        #expect(output.stderr.contains("binary.txt"))
        #expect(output.stderr.contains("records.jsonl"))
        let summary = try Self.summary(output)
        #expect(summary["loaded"] as? Int == 3)
        #expect(summary["dead_letters"] as? Int == 2)
        #expect(Set(try servers.graphMentions().keys) == ["good.txt", "records.jsonl#r1", "records.jsonl#r3"])
        let letters = try servers.sql("SELECT source, stage FROM graphingest.dead_letters ORDER BY source")
        #expect(letters.map { $0[1] } == ["read", "read"])
        #expect(letters[0][0] == "binary.txt")
        #expect(letters[1][0].hasPrefix("records.jsonl"))
    }

    /// A rerun after the user fixed a file loads it and closes its dead letter: `status` then
    /// shows no open letters; the letter itself stays, resolved, as lineage.
    @Test func aFixedFileLoadsOnTheRerunAndItsDeadLetterIsResolved() throws {
        let servers = try ScratchServers.make("fixed")
        defer { servers.drop() }
        try Self.initialize(servers)
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-fixed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: corpus) }
        try "Paris and Berlin are capitals.".write(to: corpus.appendingPathComponent("good.txt"), atomically: true, encoding: .utf8)
        try Data([0x50, 0x61, 0x72, 0x00, 0x69, 0x73, 0x00, 0x00]).write(to: corpus.appendingPathComponent("later.txt"))

        let first = try Self.ingest(corpus.path, servers)
        #expect(first.status == 1, "\(first.stderr)")
        #expect(try servers.sql("SELECT count(*) FROM graphingest.dead_letters WHERE resolved_at IS NULL") == [["1"]])

        try "Tokyo is in Japan.".write(to: corpus.appendingPathComponent("later.txt"), atomically: true, encoding: .utf8)
        let second = try Self.ingest(corpus.path, servers)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(try Self.summary(second)["loaded"] as? Int == 1)
        #expect(try servers.sql("SELECT source, resolved_at IS NOT NULL FROM graphingest.dead_letters") == [["later.txt", "t"]])
        let status = try Self.graphingest(["status"], environment: servers.environment)
        #expect(status.stdout.contains("dead letters (open): 0"), "\(status.stdout)")
        // `status --json` gives the last run's figures as an object: its summary's keys and values.
        let json = try Self.graphingest(["status", "--json"], environment: servers.environment)
        let runs = try #require(try Self.summary(json)["lastRuns"] as? [[String: Any]], "\(json.stdout)")
        let figures = try #require(runs.first?["figures"] as? [String: Any], "\(json.stdout)")
        #expect(figures["run_id"] as? Int == (try Self.summary(second)["run_id"] as? Int))
        #expect(figures["loaded"] as? Int == 1 && figures["dead_letters"] as? Int == 0, "\(figures)")
        #expect(figures["stage_seconds"] is [String: Any], "\(figures)")
    }

    @Test func unreachablePostgreSQLExitsThree() throws {
        let servers = try ScratchServers.make("nopg")
        defer { servers.drop() }
        var environment = servers.environment
        environment["GRAPHINGEST_POSTGRES"] = "host=127.0.0.1 port=1 dbname=x connect_timeout=3"
        let output = try Self.graphingest(["status"], environment: environment)
        #expect(output.status == 3)
        #expect(output.stderr.contains("cannot reach PostgreSQL"))
        #expect(output.stderr.contains("port=1"))
    }

    @Test func unreachableBoltServerExitsThree() throws {
        let servers = try ScratchServers.make("nobolt")
        defer { servers.drop() }
        var environment = servers.environment
        environment["GRAPHINGEST_BOLT_URI"] = "bolt://127.0.0.1:1"
        let output = try Self.graphingest(["init"], environment: environment)
        #expect(output.status == 3)
        // What a user can act on: the address, the URI and the cause, no NIO internals.
        #expect(output.stderr.contains("cannot connect to 127.0.0.1:1 (bolt://127.0.0.1:1): connection refused"))
        #expect(!output.stderr.contains("SingleConnectionFailure"))
    }

    @Test func missingSchemaIsAConfigurationError() throws {
        let servers = try ScratchServers.make("noinit")
        defer { servers.drop() }
        let output = try Self.ingest(Self.demo.appendingPathComponent("corpus").path, servers)
        #expect(output.status == 2)
        #expect(output.stderr.contains("run graphingest init first"))
    }
}
