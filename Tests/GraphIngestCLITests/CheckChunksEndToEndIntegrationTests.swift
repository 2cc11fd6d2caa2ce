import Foundation
import IntegrationSupport
import Testing

/// `graphingest check [--repair]` on the chunk layer, end to end: the demo corpus is ingested
/// with small chunks (several per document), each class is corrupted by hand with Cypher, and
/// the check must report exactly it; `--repair` fixes in place what the graph and the registry
/// can, queues the rest for re-extraction (which `reindex`, or `check --repair` given the
/// corpus, carries out), and the graph's chunks then equal a fresh ingest's.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized)
struct CheckChunksEndToEndIntegrationTests {
    typealias E2E = IngestEndToEndIntegrationTests
    typealias Check = CheckEndToEndIntegrationTests

    static let chunkOptions = ["--chunk-size", "80"]
    static var corpus: String { E2E.demo.appendingPathComponent("corpus").path }

    /// The demo corpus ingested with small chunks, and what the corruptions aim at.
    struct Loaded {
        var servers: ScratchServers
        /// A document with at least three chunks and some FROM_CHUNK.
        var document: Int
        /// An entity the document does not mention.
        var unrelatedEntity: Int

        func cypher(_ query: String) throws { _ = try servers.cypherWithPythonDriver(query) }
    }

    static func loaded(_ label: String) throws -> Loaded {
        let servers = try ScratchServers.make(label)
        try E2E.initialize(servers)
        let output = try E2E.ingest(corpus, servers, extra: chunkOptions)
        #expect(output.status == 0, "\(output.stderr)")
        let document = try #require(try servers.sql("""
            SELECT c.document_id FROM graphingest.document_chunks c
            WHERE EXISTS (SELECT 1 FROM graphingest.document_mentions m WHERE m.document_id = c.document_id)
            GROUP BY c.document_id HAVING count(*) >= 3 ORDER BY c.document_id LIMIT 1
            """).first?.first.flatMap { Int($0) }, "no document with three chunks")
        let entity = try #require(try servers.sql("""
            SELECT e.id FROM graphingest.entities e
            WHERE NOT EXISTS (SELECT 1 FROM graphingest.document_mentions m WHERE m.entity_id = e.id AND m.document_id = \(document))
            ORDER BY e.id LIMIT 1
            """).first?.first.flatMap { Int($0) })
        return Loaded(servers: servers, document: document, unrelatedEntity: entity)
    }

    /// Every chunk with its properties, NEXT_CHUNK and FROM_CHUNK, by document source (ids
    /// differ between databases): what a repaired graph must share with a fresh ingest.
    static func chunkDump(_ servers: ScratchServers) throws -> [String] {
        var lines: [String] = []
        for record in try servers.cypherWithPythonDriver("""
            MATCH (c:Chunk)-[:FROM_DOCUMENT]->(d:Document)
            RETURN d.source AS source, c.index AS i, c.start AS s, c.end AS e, c.sha256 AS h, c.text AS t
            """) {
            lines.append("chunk \(record["source"] ?? "-") \(record["i"] ?? "-") \(record["s"] ?? "-") \(record["e"] ?? "-") \(record["h"] ?? "-") \(record["t"] ?? "-")")
        }
        for record in try servers.cypherWithPythonDriver("""
            MATCH (d:Document)<-[:FROM_DOCUMENT]-(a:Chunk)-[:NEXT_CHUNK]->(b:Chunk)
            RETURN d.source AS source, a.index AS a, b.index AS b
            """) {
            lines.append("next \(record["source"] ?? "-") \(record["a"] ?? "-") \(record["b"] ?? "-")")
        }
        for record in try servers.cypherWithPythonDriver("""
            MATCH (e:Entity)-[r:FROM_CHUNK]->(c:Chunk)-[:FROM_DOCUMENT]->(d:Document)
            RETURN e.key AS key, d.source AS source, c.index AS i, r.count AS n, r.offsets AS o
            """) {
            let offsets = (record["o"] as? [Int])?.map(String.init).joined(separator: ",") ?? "-"
            lines.append("from \(record["key"] ?? "-") \(record["source"] ?? "-") \(record["i"] ?? "-") \(record["n"] ?? "-") \(offsets)")
        }
        return lines.sorted()
    }

    /// One way of corrupting the chunk layer, and the checks it must trip.
    enum Corruption: String, CaseIterable, CustomTestStringConvertible {
        case missingChunk, extraChunk, detachedChunk, chunkHashDrift, chunkIndexDrift, missingNextChunk, wrongNextChunk
        case strayFromChunk, fromChunkCount, missingChunkConstraint

        var testDescription: String { rawValue }

        /// Whether only the document's text repairs it.
        var needsText: Bool { [.missingChunk, .chunkHashDrift, .chunkIndexDrift, .fromChunkCount].contains(self) }

        /// Corrupts `loaded`; returns the checks (with a sample each must show) that must fail, and no others.
        func apply(to loaded: Loaded) throws -> [String: String] {
            let document = loaded.document
            switch self {
            case .missingChunk:
                // Its NEXT_CHUNK and FROM_CHUNK go with it; the document is reported once.
                try loaded.cypher("MATCH (c:Chunk {id: '\(document):1'}) DETACH DELETE c")
                return ["missing_chunks": "\(document):1"]
            case .extraChunk:
                try loaded.cypher("""
                    MATCH (d:Document {id: \(document)})
                    CREATE (:Chunk {id: '\(document):99', index: 99, text: 'x', start: 0, end: 1, sha256: 'x'})-[:FROM_DOCUMENT]->(d)
                    """)
                return ["extra_chunks": "\(document):99"]
            case .detachedChunk:
                try loaded.cypher("CREATE (:Chunk {id: 'ghost', index: 0, text: 'ghost', start: 0, end: 5, sha256: 'x'})")
                return ["extra_chunks": "ghost"]
            case .chunkHashDrift:
                try loaded.cypher("MATCH (c:Chunk {id: '\(document):0'}) SET c.sha256 = 'bad'")
                return ["chunk_drift": "\(document):0"]
            case .chunkIndexDrift:
                try loaded.cypher("MATCH (c:Chunk {id: '\(document):2'}) SET c.index = 7")
                return ["chunk_drift": "\(document):2"]
            case .missingNextChunk:
                try loaded.cypher("MATCH (:Chunk {id: '\(document):0'})-[r:NEXT_CHUNK]->() DELETE r")
                return ["broken_chunk_chains": "\(document)"]
            case .wrongNextChunk:
                try loaded.cypher("MATCH (a:Chunk {id: '\(document):2'}), (b:Chunk {id: '\(document):0'}) CREATE (a)-[:NEXT_CHUNK]->(b)")
                return ["broken_chunk_chains": "\(document)"]
            case .strayFromChunk:
                try loaded.cypher("""
                    MATCH (e:Entity {id: \(loaded.unrelatedEntity)}), (c:Chunk {id: '\(document):0'})
                    CREATE (e)-[:FROM_CHUNK {count: 1, offsets: [0]}]->(c)
                    """)
                return ["stray_chunk_mentions": "\(loaded.unrelatedEntity)->\(document):0"]
            case .fromChunkCount:
                try loaded.cypher("""
                    MATCH (:Entity)-[r:FROM_CHUNK]->(:Chunk)-[:FROM_DOCUMENT]->(:Document {id: \(document)})
                    WITH r LIMIT 1 SET r.count = r.count + 5
                    """)
                return ["chunk_mention_count_mismatches": "\(document)"]
            case .missingChunkConstraint:
                try loaded.cypher("DROP CONSTRAINT graphingest_chunk_id")
                return ["missing_constraints": "Chunk.id"]
            }
        }
    }

    @Test(arguments: Corruption.allCases)
    func checkReportsEachChunkCorruptionAndRepairRemovesIt(corruption: Corruption) throws {
        let loaded = try Self.loaded("chkc\(corruption.rawValue)")
        defer { loaded.servers.drop() }
        let clean = try Check.check(loaded.servers)
        #expect(clean.status == 0 && clean.failing.isEmpty, "not clean before the corruption: \(clean.failing)")
        let before = try Self.chunkDump(loaded.servers)

        let expected = try corruption.apply(to: loaded)
        let found = try Check.check(loaded.servers)
        #expect(found.status == 1)
        #expect(Set(found.failing.keys) == Set(expected.keys), "found \(found.failing)")
        for (check, sample) in expected {
            #expect(found.failing[check]?.contains(sample) == true, "\(check) samples \(found.failing[check] ?? [])")
        }

        let repaired = try Check.check(loaded.servers, repair: true)
        #expect(Set(repaired.failing.keys) == Set(expected.keys), "the report before the repair")
        if corruption.needsText {
            // Queued for re-extraction: reported until a reindex of the corpus redoes it.
            #expect(repaired.status == 1)
            let after = try #require(repaired.json["after"] as? [String: Any])
            let failing = (after["findings"] as? [[String: Any]] ?? []).filter { ($0["count"] as? Int ?? 0) > 0 }
            #expect(failing.map { $0["check"] as? String } == ["awaiting_reextraction"], "\(failing)")
            #expect((failing.first?["samples"] as? [String]) == ["\(loaded.document)"])
            let row = try loaded.servers.sql("SELECT status, starts_with(error, 'check --repair: ') FROM graphingest.documents WHERE id = \(loaded.document)")
            #expect(row == [["pending", "t"]])
            #expect(try Check.check(loaded.servers).failing.keys.sorted() == ["awaiting_reextraction"])

            let reindex = try E2E.graphingest(
                ["reindex", Self.corpus, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules, "--json", "--quiet"] + Self.chunkOptions, loaded.servers)
            #expect(reindex.status == 0, "\(reindex.stderr)")
            let summary = try E2E.summary(reindex)
            #expect(summary["loaded"] as? Int == 1, "reindex redoes exactly the queued document: \(summary)")
        } else {
            #expect(repaired.status == 0, "repair left \(repaired.json["after"] ?? "")")
            let figures = try #require(repaired.json["repair"] as? [String: Any])
            #expect(figures["documents_queued_for_reextraction"] as? Int == 0)
        }
        let after = try Check.check(loaded.servers)
        #expect(after.status == 0 && after.failing.isEmpty, "after the repair: \(after.failing)")
        #expect(try Self.chunkDump(loaded.servers) == before)
    }

    @Test func everyChunkCorruptionAtOnceIsRepairedByOneCommandGivenTheCorpus() throws {
        let loaded = try Self.loaded("chkcall")
        defer { loaded.servers.drop() }
        // Aim each corruption at another document, so that none hides another.
        let documents = try loaded.servers.sql("""
            SELECT document_id FROM graphingest.document_chunks GROUP BY document_id HAVING count(*) >= 3 ORDER BY document_id
            """).compactMap { $0.first.flatMap { Int($0) } }
        try #require(documents.count >= 5, "the demo corpus has too few documents with three chunks at size 80")
        try loaded.cypher("MATCH (c:Chunk {id: '\(documents[0]):1'}) DETACH DELETE c")
        try loaded.cypher("CREATE (:Chunk {id: 'ghost', index: 0})")
        try loaded.cypher("MATCH (c:Chunk {id: '\(documents[1]):0'}) SET c.sha256 = 'bad', c.end = 1")
        try loaded.cypher("MATCH (:Chunk {id: '\(documents[2]):1'})-[r:NEXT_CHUNK]->() DELETE r")
        try loaded.cypher("""
            MATCH (e:Entity {id: \(loaded.unrelatedEntity)}), (c:Chunk {id: '\(documents[3]):0'})
            WHERE NOT EXISTS { (e)-[:FROM_CHUNK]->(c) }
            CREATE (e)-[:FROM_CHUNK {count: 2, offsets: [0, 1]}]->(c)
            """)
        try loaded.cypher("""
            MATCH (:Entity)-[r:FROM_CHUNK]->(:Chunk)-[:FROM_DOCUMENT]->(:Document {id: \(documents[4])})
            WITH r LIMIT 1 SET r.count = 0
            """)
        try loaded.cypher("DROP CONSTRAINT graphingest_chunk_id")

        let found = try Check.check(loaded.servers)
        #expect(found.status == 1)
        #expect(found.failing.count >= 6, "\(found.failing)")

        let first = try Check.check(loaded.servers, repair: true, corpus: Check.demoCorpus(extra: Self.chunkOptions))
        #expect(first.status == 0, "\(first.json["after"] ?? "")")
        let figures = try #require(first.json["repair"] as? [String: Any])
        #expect((figures["documents_queued_for_reextraction"] as? Int ?? 0) >= 2, "\(figures)")
        #expect(figures["documents_reextracted"] as? Int == figures["documents_queued_for_reextraction"] as? Int, "\(figures)")
        #expect(figures["reextraction_run_id"] as? Int != nil)

        let second = try Check.check(loaded.servers, repair: true, corpus: Check.demoCorpus(extra: Self.chunkOptions))
        #expect(second.status == 0 && second.failing.isEmpty, "\(second.failing)")
        #expect((second.json["repair"] as? [String: Any])?["reextraction_run_id"] == nil, "nothing to re-extract the second time")

        // The repaired graph's chunk layer equals a fresh ingest's.
        let fresh = try ScratchServers.make("chkcfresh")
        defer { fresh.drop() }
        try E2E.initialize(fresh)
        #expect(try E2E.ingest(Self.corpus, fresh, extra: Self.chunkOptions).status == 0)
        #expect(try Self.chunkDump(loaded.servers) == Self.chunkDump(fresh))
    }

    @Test func aCorpusWithoutRepairIsAUsageError() throws {
        let output = try E2E.graphingest(["check", Self.corpus, "--gazetteer", E2E.gazetteer])
        #expect(output.status == 2)
        #expect(output.stderr.contains("--repair"))
    }
}
