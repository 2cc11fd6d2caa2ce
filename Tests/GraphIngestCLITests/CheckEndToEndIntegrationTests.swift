import Foundation
import IntegrationSupport
import Testing

/// `graphingest check [--repair]` end to end: each test ingests the demo corpus into databases of
/// its own, corrupts the graph (Cypher through the official Python driver) or the registry (SQL
/// through psql) in exactly one way, and shows that the check reports exactly that and that the
/// repair removes it.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized)
struct CheckEndToEndIntegrationTests {
    typealias E2E = IngestEndToEndIntegrationTests

    /// The demo corpus ingested, with what the corruptions aim at.
    struct Loaded {
        var servers: ScratchServers
        /// source -> registry id
        var documentIDs: [String: Int]
        /// entity key -> registry id
        var entityIDs: [String: Int]
        /// source -> entity key -> count, as ingested
        var mentions: [String: [String: Int]]

        /// A document each of whose entities another document mentions too: removing it leaves
        /// no entity without MENTIONS.
        var sharedDocument: (source: String, id: Int) {
            let source = mentions.keys.sorted().first { source in
                mentions[source]!.keys.allSatisfy { key in mentions.contains { $0.key != source && $0.value[key] != nil } }
            }!
            return (source, documentIDs[source]!)
        }

        /// An entity that `source` mentions, and one it does not.
        func entities(of source: String) -> (mentioned: String, other: String) {
            let mentioned = mentions[source]!.keys.sorted().first!
            let other = entityIDs.keys.sorted().first { mentions[source]![$0] == nil }!
            return (mentioned, other)
        }

        func cypher(_ query: String) throws { _ = try servers.cypherWithPythonDriver(query) }
    }

    static func loaded(_ label: String) throws -> Loaded {
        let servers = try ScratchServers.make(label)
        try E2E.initialize(servers)
        let output = try E2E.ingest(E2E.demo.appendingPathComponent("corpus").path, servers)
        #expect(output.status == 0, "\(output.stderr)")
        var documents: [String: Int] = [:]
        for row in try servers.sql("SELECT source, id FROM graphingest.documents") { documents[row[0]] = Int(row[1]) }
        var entities: [String: Int] = [:]
        for row in try servers.sql("SELECT key, id FROM graphingest.entities") { entities[row[0]] = Int(row[1]) }
        return Loaded(servers: servers, documentIDs: documents, entityIDs: entities, mentions: try servers.graphMentions())
    }

    /// The corpus arguments that let `check --repair` re-extract documents of the demo corpus.
    static func demoCorpus(extra: [String] = []) -> [String] {
        [E2E.demo.appendingPathComponent("corpus").path, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules] + extra
    }

    /// Runs `check --json` (with `--repair` when asked, and the corpus to re-extract from when
    /// given): the exit status, the non-zero findings (check -> samples) and the whole JSON object.
    static func check(
        _ servers: ScratchServers, repair: Bool = false, corpus: [String] = [], options: [String] = []
    ) throws -> (status: Int32, failing: [String: [String]], json: [String: Any]) {
        let output = try E2E.graphingest(["check", "--json", "--sample", "100"] + options + (repair ? ["--repair"] + corpus : []), servers)
        let json = try #require(output.lastJSONObject, "no JSON report; stderr: \(output.stderr)")
        var failing: [String: [String]] = [:]
        for finding in json["findings"] as? [[String: Any]] ?? [] where (finding["count"] as? Int ?? 0) > 0 {
            failing[finding["check"] as! String] = finding["samples"] as? [String] ?? []
        }
        return (output.status, failing, json)
    }

    /// One way of corrupting the graph or the registry, and the checks it must trip.
    enum Corruption: String, CaseIterable, CustomTestStringConvertible {
        case missingDocument, unknownDocument, tombstonedDocument, mentionMismatch, unknownEntity, missingEntity
        case orphanEntity, duplicateDocument, duplicateEntity, danglingMention, documentDrift, entityDrift
        case missingConstraint, expiredLease

        var testDescription: String { rawValue }

        /// Whether only the document's text repairs it (its chunks or FROM_CHUNK went with it),
        /// so that `check --repair` needs the corpus.
        var needsCorpus: Bool { self == .missingDocument || self == .missingEntity }

        /// Corrupts `loaded`; returns the checks (with a sample each must show) that must fail, and no others.
        func apply(to loaded: Loaded) throws -> [String: String] {
            let (source, id) = loaded.sharedDocument
            let (mentioned, other) = loaded.entities(of: source)
            let entityID = loaded.entityIDs[mentioned]!
            switch self {
            case .missingDocument:
                // Its chunks stay behind without FROM_DOCUMENT.
                try loaded.cypher("MATCH (d:Document {id: \(id)}) DETACH DELETE d")
                return ["missing_documents": "\(id)", "extra_chunks": "\(id):0"]
            case .unknownDocument:
                try loaded.cypher("CREATE (:Document {id: 999999, source: 'ghost.txt', title: 'Ghost', sha256: 'x', bytes: 1, version: 1})")
                return ["unknown_documents": "999999"]
            case .tombstonedDocument:
                _ = try loaded.servers.sql("""
                    UPDATE graphingest.documents SET status = 'deleted', deleted_at = now() WHERE id = \(id);
                    DELETE FROM graphingest.document_mentions WHERE document_id = \(id)
                    """)
                return ["deleted_documents_in_graph": "\(id)"]
            case .mentionMismatch:
                // One count changed, and a relationship the snapshot does not have.
                try loaded.cypher("MATCH (:Document {id: \(id)})-[m:MENTIONS]->(:Entity {key: '\(mentioned)'}) SET m.count = 99")
                try loaded.cypher("MATCH (d:Document {id: \(id)}), (e:Entity {key: '\(other)'}) CREATE (d)-[:MENTIONS {count: 1, offsets: [0]}]->(e)")
                return ["mention_mismatches": "\(id)"]
            case .unknownEntity:
                // Nobody mentions it either: it is an orphan as well.
                try loaded.cypher("CREATE (:Entity {id: 999999, key: 'ghost:1', name: 'Ghost', type: 'Thing'})")
                return ["entities_not_in_registry": "999999", "orphan_entities": "999999"]
            case .missingEntity:
                // Its MENTIONS and FROM_CHUNK go with it, so the documents that mention it differ too.
                try loaded.cypher("MATCH (e:Entity {key: '\(mentioned)'}) DETACH DELETE e")
                // Its CO_OCCURS_WITH went with it.
                return ["missing_entities": "\(entityID)", "mention_mismatches": "\(id)", "chunk_mention_count_mismatches": "\(id)",
                        "missing_relations": ""]
            case .orphanEntity:
                let row = try loaded.servers.sql("INSERT INTO graphingest.entities (key, name, type) VALUES ('orphan:1', 'Orphan', 'Thing') RETURNING id")
                let orphan = row[0][0]
                try loaded.cypher("CREATE (:Entity {id: \(orphan), key: 'orphan:1', name: 'Orphan', type: 'Thing'})")
                return ["orphan_entities": orphan]
            case .duplicateDocument:
                // A second node with the id needs the constraint gone first.
                try loaded.cypher("DROP CONSTRAINT graphingest_document_id")
                try loaded.cypher("MATCH (d:Document {id: \(id)}) CREATE (:Document {id: d.id, source: d.source, title: d.title, sha256: d.sha256, bytes: d.bytes, version: d.version})")
                return ["duplicate_document_ids": "\(id)", "missing_constraints": "Document.id"]
            case .duplicateEntity:
                try loaded.cypher("DROP CONSTRAINT graphingest_entity_id")
                try loaded.cypher("MATCH (e:Entity {id: \(entityID)}) CREATE (:Entity {id: e.id, key: e.key, name: e.name, type: e.type})")
                return ["duplicate_entity_ids": "\(entityID)", "missing_constraints": "Entity.id"]
            case .danglingMention:
                try loaded.cypher("MATCH (d:Document {id: \(id)}), (e:Entity {key: '\(mentioned)'}) CREATE (e)-[:MENTIONS {count: 1}]->(d)")
                return ["dangling_mentions": ""]
            case .documentDrift:
                try loaded.cypher("MATCH (d:Document {id: \(id)}) SET d.sha256 = 'bad', d.source = 'moved.txt'")
                return ["document_property_drift": "\(id)"]
            case .entityDrift:
                try loaded.cypher("MATCH (e:Entity {id: \(entityID)}) SET e.name = 'Wrong', e.type = 'Other'")
                return ["entity_property_drift": "\(entityID)"]
            case .missingConstraint:
                try loaded.cypher("DROP CONSTRAINT graphingest_entity_id")
                return ["missing_constraints": "Entity.id"]
            case .expiredLease:
                _ = try loaded.servers.sql("UPDATE graphingest.documents SET status = 'indexing', lease_until = now() - interval '1 hour' WHERE id = \(id)")
                return ["expired_leases": "\(id)"]
            }
        }
    }

    @Test(arguments: Corruption.allCases)
    func checkReportsExactlyTheCorruptionAndRepairRemovesIt(corruption: Corruption) throws {
        let loaded = try Self.loaded("chk\(corruption.rawValue)")
        defer { loaded.servers.drop() }
        let clean = try Self.check(loaded.servers)
        #expect(clean.status == 0 && clean.failing.isEmpty, "not clean before the corruption: \(clean.failing)")

        let expected = try corruption.apply(to: loaded)
        let found = try Self.check(loaded.servers)
        #expect(found.status == 1)
        #expect(Set(found.failing.keys) == Set(expected.keys), "found \(found.failing)")
        for (check, sample) in expected where !sample.isEmpty {
            #expect(found.failing[check]?.contains(sample) == true, "\(check) samples \(found.failing[check] ?? [])")
        }

        let repaired = try Self.check(loaded.servers, repair: true, corpus: corruption.needsCorpus ? Self.demoCorpus() : [])
        #expect(repaired.status == 0, "repair left \(repaired.json["after"] ?? "")")
        #expect(Set(repaired.failing.keys) == Set(expected.keys), "the report before the repair")
        let after = try Self.check(loaded.servers)
        #expect(after.status == 0 && after.failing.isEmpty, "after the repair: \(after.failing)")

        // The graph holds what the registry says, node by node (a released lease leaves its
        // document pending: the registry no longer vouches for it); the repair is a recorded run.
        var graph = try loaded.servers.graphMentions()
        if corruption == .expiredLease { graph[loaded.sharedDocument.source] = nil }
        #expect(try graph == loaded.servers.registryMentions())
        let counts = try E2E.counts(loaded.servers)
        #expect(counts.documents == counts.distinctDocuments)
        let run = try loaded.servers.sql(
            "SELECT command, finished_at IS NOT NULL FROM graphingest.runs WHERE command = 'check' ORDER BY id DESC LIMIT 1")
        #expect(run == [["check", "t"]])
        if corruption == .expiredLease {
            #expect(try loaded.servers.sql("SELECT status FROM graphingest.documents WHERE id = \(loaded.sharedDocument.id)") == [["pending"]])
        }
    }

    @Test func everyCorruptionAtOnceIsRepairedAndASecondRepairDoesNothing() throws {
        let loaded = try Self.loaded("chkall")
        defer { loaded.servers.drop() }
        // Corruptions on different documents and entities, so that they do not hide each other.
        let sources = loaded.documentIDs.keys.sorted()
        let entity = loaded.entityIDs.sorted { $0.key < $1.key }
        try loaded.cypher("MATCH (d:Document {id: \(loaded.documentIDs[sources[0]]!)})-[m:MENTIONS]->() WITH m LIMIT 1 SET m.count = 42")
        try loaded.cypher("CREATE (:Document {id: 999999, source: 'ghost.txt', sha256: 'x'})")
        try loaded.cypher("MATCH (e:Entity {id: \(entity[0].value)}) SET e.name = 'Wrong'")
        try loaded.cypher("DROP CONSTRAINT graphingest_entity_id")
        try loaded.cypher("MATCH (e:Entity {id: \(entity[1].value)}) CREATE (:Entity {id: e.id, key: e.key, name: e.name, type: e.type})")
        try loaded.cypher("MATCH (d:Document {id: \(loaded.documentIDs[sources[1]]!)}), (e:Entity {id: \(entity[2].value)}) CREATE (e)-[:MENTIONS {count: 1}]->(d)")
        try loaded.cypher("MATCH (d:Document {id: \(loaded.documentIDs[sources[2]]!)}) DETACH DELETE d")
        _ = try loaded.servers.sql("UPDATE graphingest.documents SET status = 'indexing', lease_until = now() - interval '1 hour' WHERE id = \(loaded.documentIDs[sources[3]]!)")

        let found = try Self.check(loaded.servers)
        #expect(found.status == 1)
        #expect(found.failing.count >= 8, "\(found.failing)")

        // The deleted document's chunks come back only from its text.
        let first = try Self.check(loaded.servers, repair: true, corpus: Self.demoCorpus())
        #expect(first.status == 0, "\(first.json["after"] ?? "")")
        let second = try Self.check(loaded.servers, repair: true, corpus: Self.demoCorpus())
        #expect(second.status == 0 && second.failing.isEmpty)
        let figures = try #require(second.json["repair"] as? [String: Any])
        for (key, value) in figures where key != "seconds" && key != "run_id" {
            if let number = value as? Int { #expect(number == 0, "\(key) on the second repair") }
            if let flag = value as? Bool { #expect(flag == false, "\(key) on the second repair") }
        }
        // The re-ingest of the corpus also loaded the document whose lease was released (pending
        // is "changed" to ingest), so the registry vouches for every document again.
        #expect(try loaded.servers.sql("SELECT count(*) FROM graphingest.documents WHERE status <> 'loaded'") == [["0"]])
        #expect(try loaded.servers.graphMentions() == loaded.servers.registryMentions())
        #expect(try loaded.servers.sql("SELECT count(*) FROM graphingest.runs WHERE command = 'check'") == [["2"]])
    }

    /// The counts of every class in a `check --json` object (zeros included).
    static func counts(_ json: [String: Any]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for finding in json["findings"] as? [[String: Any]] ?? [] { counts[finding["check"] as! String] = finding["count"] as? Int ?? 0 }
        return counts
    }

    @Test func rangesOfOneIdAndPartsReportWhatTheDefaultRangesReportAndRepairAlike() throws {
        let loaded = try Self.loaded("chkranges")
        defer { loaded.servers.drop() }
        // Corruptions spread over several documents and entities (so over many one-id ranges),
        // among them an entity whose MENTIONS live in another range than its own.
        let sources = loaded.documentIDs.keys.sorted()
        let entity = loaded.entityIDs.sorted { $0.key < $1.key }
        try loaded.cypher("MATCH (d:Document {id: \(loaded.documentIDs[sources[0]]!)})-[m:MENTIONS]->() WITH m LIMIT 1 SET m.count = 42")
        try loaded.cypher("CREATE (:Document {id: 999999, source: 'ghost.txt', sha256: 'x'})")
        try loaded.cypher("CREATE (:Document {id: -5, source: 'below.txt', sha256: 'x'})")
        try loaded.cypher("MATCH (e:Entity {id: \(entity[0].value)}) SET e.name = 'Wrong'")
        try loaded.cypher("MATCH (e:Entity {id: \(entity[1].value)}) DETACH DELETE e")
        try loaded.cypher("CREATE (:Entity {id: 888888, key: 'ghost', name: 'Ghost', type: 'X'})")
        try loaded.cypher("MATCH (d:Document {id: \(loaded.documentIDs[sources[2]]!)}) DETACH DELETE d")
        try loaded.cypher("CREATE (:Chunk {id: 'loose', index: 0})")

        let whole = try Self.check(loaded.servers)
        #expect(whole.status == 1)
        let expected = Self.counts(whole.json)
        #expect(expected.values.filter { $0 > 0 }.count >= 6, "\(whole.failing)")
        let tiny = try Self.check(loaded.servers, options: ["--range-size", "1"])
        #expect(tiny.status == 1)
        #expect(Self.counts(tiny.json) == expected)
        #expect(tiny.failing == whole.failing, "the samples, in id order, are the same")

        // Three processes' parts add up to the whole.
        var summed: [String: Int] = [:]
        for part in 1...3 {
            let report = try Self.check(loaded.servers, options: ["--range-size", "2", "--part", "\(part)/3"])
            for (check, count) in Self.counts(report.json) { summed[check, default: 0] += count }
        }
        #expect(summed == expected)

        let repaired = try Self.check(loaded.servers, repair: true, corpus: Self.demoCorpus(), options: ["--range-size", "1"])
        #expect(repaired.status == 0, "\(repaired.json["after"] ?? "")")
        #expect(Self.counts(repaired.json) == expected, "the report before the repair")
        let after = try Self.check(loaded.servers)
        #expect(after.status == 0 && after.failing.isEmpty, "after the repair: \(after.failing)")
        #expect(try loaded.servers.graphMentions() == loaded.servers.registryMentions())
    }

    @Test func badPartOrRangeSizeIsAUsageError() throws {
        let servers = try ScratchServers.make("chkusage")
        defer { servers.drop() }
        for options in [["--part", "0/2"], ["--part", "3/2"], ["--part", "x"], ["--range-size", "0"]] {
            let output = try E2E.graphingest(["check"] + options, servers)
            #expect(output.status == 2, "\(options)")
            #expect(output.stderr.contains(options[0]), "\(options): \(output.stderr)")
        }
    }

    @Test func humanReportNamesEachCheckAndTheProblem() throws {
        let loaded = try Self.loaded("chkhuman")
        defer { loaded.servers.drop() }
        try loaded.cypher("CREATE (:Document {id: 999999, source: 'ghost.txt', sha256: 'x'})")
        let output = try E2E.graphingest(["check", "--sample", "1"], loaded.servers)
        #expect(output.status == 1)
        let lines = output.stdout.split(separator: "\n")
        #expect(lines.count == 27)
        #expect(lines.contains { $0.hasPrefix("FAIL unknown_documents") && $0.contains("(e.g. 999999)") })
        #expect(lines.filter { $0.hasPrefix("ok ") }.count == 25)
        #expect(lines.contains { $0.hasPrefix("ok   communities") })
        #expect(lines.last == "inconsistent: 1 of 26 checks found problems")
    }
}
