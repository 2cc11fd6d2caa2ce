import Foundation
import IntegrationSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `graphingest reindex` end to end on the real servers: after files were edited, deleted and
/// added, a reindexed graph equals a fresh ingest of the corpus as it now stands (two pairs of
/// databases, compared node by node and relationship by relationship through the official
/// driver); a reindex killed part-way and run again converges to the same graph.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized)
struct ReindexEndToEndIntegrationTests {
    typealias E2E = IngestEndToEndIntegrationTests

    /// A graph and its registry as comparable text, without ids or versions (they differ
    /// between databases): every node and relationship of the model with its properties.
    struct GraphDump: Equatable {
        /// source -> "title | path | sha256 | bytes"
        var documents: [String: String] = [:]
        /// key -> "labels | name | type"
        var entities: [String: String] = [:]
        /// source -> key -> "count | offsets"
        var mentions: [String: [String: String]] = [:]
        var relationships = 0
        /// "source#index" -> "start | end | sha256 | text"
        var chunks: [String: String] = [:]
        /// "source#index -> source#index", sorted
        var nextChunks: [String] = []
        /// "source#index" -> key -> "count | offsets"
        var fromChunks: [String: [String: String]] = [:]
        /// Relationships from or to a chunk that are none of the above (must stay 0).
        var otherChunkRelationships = 0
        /// Registry: source -> "status | sha256"; source -> key -> count; "source#index" -> "start | end | sha256".
        var registryDocuments: [String: String] = [:]
        var registryMentions: [String: [String: Int]] = [:]
        var registryChunks: [String: String] = [:]
        /// "keyA ~ keyB" (keys sorted) -> "count | documents": the CO_OCCURS_WITH edges.
        var cooccurrences: [String: String] = [:]
        /// Edges that do not run from the lower entity id to the higher (must stay empty).
        var backwardCooccurrences: [String] = []
        /// Registry: "keyA ~ keyB" -> "count | documents" for the totals at the threshold or more;
        /// source -> "keyA ~ keyB" -> count; totals that disagree with the documents' sum; pending pairs.
        var registryPairTotals: [String: String] = [:]
        var registryPairs: [String: [String: Int]] = [:]
        var driftedPairTotals = -1
        var pendingPairs = -1
        /// Communities by content, not id (a fresh registry numbers things differently):
        /// "L<level>: member keys" -> "parent's L<level>: member keys | size | weight | rank | title
        /// | summary", from the graph and from the registry; and each community's id by the same
        /// key (for the tests of stable ids; not compared).
        var communities: [String: String] = [:]
        var registryCommunities: [String: String] = [:]
        var communityIDs: [String: String] = [:]

        init(_ servers: ScratchServers) throws {
            func join(_ value: Any?) -> String { (value as? [Int])?.map(String.init).joined(separator: ",") ?? "-" }
            for record in try servers.cypherWithPythonDriver(
                "MATCH (d:Document) RETURN d.source AS source, d.path AS path, d.title AS title, d.sha256 AS sha256, d.bytes AS bytes") {
                documents[record["source"] as? String ?? "?"] =
                    "\(record["title"] ?? "-") | \(record["path"] ?? "-") | \(record["sha256"] ?? "-") | \(record["bytes"] ?? "-")"
            }
            for record in try servers.cypherWithPythonDriver("MATCH (e:Entity) RETURN e.key AS key, labels(e) AS labels, e.name AS name, e.type AS type") {
                let labels = ((record["labels"] as? [String]) ?? []).sorted().joined(separator: ":")
                entities[record["key"] as? String ?? "?"] = "\(labels) | \(record["name"] ?? "-") | \(record["type"] ?? "-")"
            }
            for record in try servers.cypherWithPythonDriver(
                "MATCH (d:Document)-[m:MENTIONS]->(e:Entity) RETURN d.source AS source, e.key AS key, m.count AS count, m.offsets AS offsets") {
                mentions[record["source"] as? String ?? "?", default: [:]][record["key"] as? String ?? "?"] = "\(record["count"] ?? "-") | \(join(record["offsets"]))"
                relationships += 1
            }
            for record in try servers.cypherWithPythonDriver("""
                MATCH (c:Chunk) OPTIONAL MATCH (c)-[:FROM_DOCUMENT]->(d:Document)
                RETURN d.source AS source, c.id AS id, c.index AS index, c.start AS start, c.end AS end, c.sha256 AS sha256, c.text AS text
                """) {
                let key = "\(record["source"] as? String ?? "(no document)")#\(record["index"] ?? "-")"
                #expect(chunks[key] == nil, "two chunks \(key)")
                #expect(record["id"] is String, "chunk ids are strings")
                chunks[key] = "\(record["start"] ?? "-") | \(record["end"] ?? "-") | \(record["sha256"] ?? "-") | \(record["text"] ?? "-")"
            }
            for record in try servers.cypherWithPythonDriver("""
                MATCH (a:Chunk)-[:NEXT_CHUNK]->(b:Chunk)
                OPTIONAL MATCH (a)-[:FROM_DOCUMENT]->(da:Document) OPTIONAL MATCH (b)-[:FROM_DOCUMENT]->(db:Document)
                RETURN da.source AS a, a.index AS ai, db.source AS b, b.index AS bi
                """) {
                nextChunks.append("\(record["a"] ?? "-")#\(record["ai"] ?? "-") -> \(record["b"] ?? "-")#\(record["bi"] ?? "-")")
            }
            nextChunks.sort()
            for record in try servers.cypherWithPythonDriver("""
                MATCH (e:Entity)-[r:FROM_CHUNK]->(c:Chunk) OPTIONAL MATCH (c)-[:FROM_DOCUMENT]->(d:Document)
                RETURN d.source AS source, c.index AS index, e.key AS key, r.count AS count, r.offsets AS offsets
                """) {
                let chunk = "\(record["source"] as? String ?? "(no document)")#\(record["index"] ?? "-")"
                #expect(fromChunks[chunk]?[record["key"] as? String ?? "?"] == nil, "two FROM_CHUNK \(chunk)")
                fromChunks[chunk, default: [:]][record["key"] as? String ?? "?"] = "\(record["count"] ?? "-") | \(join(record["offsets"]))"
            }
            otherChunkRelationships = try servers.cypherWithPythonDriver("""
                MATCH (c:Chunk)-[r]-(x)
                WHERE NOT ((type(r) = 'FROM_DOCUMENT' AND x:Document) OR (type(r) = 'NEXT_CHUNK' AND x:Chunk)
                           OR (type(r) = 'FROM_CHUNK' AND x:Entity))
                RETURN count(r) AS n
                """).first?["n"] as? Int ?? -1
            for row in try servers.sql("SELECT source, status, coalesce(sha256, '') FROM graphingest.documents") where row.count == 3 {
                registryDocuments[row[0]] = "\(row[1]) | \(row[2])"
            }
            registryMentions = try servers.registryMentions()
            for row in try servers.sql("""
                SELECT d.source, c.chunk_index, c.start_offset, c.end_offset, c.sha256
                FROM graphingest.document_chunks c JOIN graphingest.documents d ON d.id = c.document_id
                """) where row.count == 5 {
                registryChunks["\(row[0])#\(row[1])"] = "\(row[2]) | \(row[3]) | \(row[4])"
            }
            func pairKey(_ first: String, _ second: String) -> String { [first, second].sorted().joined(separator: " ~ ") }
            for record in try servers.cypherWithPythonDriver("""
                MATCH (a:Entity)-[r:CO_OCCURS_WITH]->(b:Entity)
                RETURN a.key AS a, b.key AS b, a.id AS ai, b.id AS bi, r.count AS count, r.documents AS documents
                """) {
                let key = pairKey(record["a"] as? String ?? "?", record["b"] as? String ?? "?")
                #expect(cooccurrences[key] == nil, "two CO_OCCURS_WITH \(key)")
                cooccurrences[key] = "\(record["count"] ?? "-") | \(record["documents"] ?? "-")"
                if ((record["ai"] as? Int) ?? 0) >= ((record["bi"] as? Int) ?? 0) { backwardCooccurrences.append(key) }
            }
            for row in try servers.sql("""
                SELECT a.key, b.key, t.count, t.documents FROM graphingest.pair_totals t
                JOIN graphingest.entities a ON a.id = t.entity_a JOIN graphingest.entities b ON b.id = t.entity_b
                WHERE t.count >= coalesce((SELECT value::bigint FROM graphingest.settings WHERE name = 'min_cooccurrence'), 1)
                """) where row.count == 4 {
                registryPairTotals[pairKey(row[0], row[1])] = "\(row[2]) | \(row[3])"
            }
            for row in try servers.sql("""
                SELECT d.source, a.key, b.key, p.count FROM graphingest.document_pairs p
                JOIN graphingest.documents d ON d.id = p.document_id
                JOIN graphingest.entities a ON a.id = p.entity_a JOIN graphingest.entities b ON b.id = p.entity_b
                """) where row.count == 4 {
                registryPairs[row[0], default: [:]][pairKey(row[1], row[2])] = Int(row[3])
            }
            driftedPairTotals = Int(try servers.sql("""
                SELECT count(*) FROM (SELECT entity_a, entity_b, sum(count) AS count, count(*) AS documents
                                      FROM graphingest.document_pairs GROUP BY 1, 2) s
                FULL JOIN graphingest.pair_totals t USING (entity_a, entity_b)
                WHERE (s.count, s.documents) IS DISTINCT FROM (t.count, t.documents)
                """).first?.first ?? "") ?? -1
            pendingPairs = Int(try servers.sql("SELECT count(*) FROM graphingest.pair_totals WHERE pending").first?.first ?? "") ?? -1
            try readCommunities(servers)
        }

        /// The communities of both sides, keyed by level and members.
        private mutating func readCommunities(_ servers: ScratchServers) throws {
            var graphNodes: [String: CommunityNode] = [:]
            for record in try servers.cypherWithPythonDriver("""
                MATCH (c:__Community__) OPTIONAL MATCH (c)-[:IN_COMMUNITY]->(p:__Community__)
                RETURN c.id AS id, c.level AS level, p.id AS parent, c.size AS size, c.weight AS weight, c.community_rank AS rank,
                       c.title AS title, c.summary AS summary
                """) {
                let id = record["id"] as? String ?? "?"
                #expect(graphNodes[id] == nil, "community \(id) twice, or with two parents")
                graphNodes[id] = CommunityNode(level: record["level"] as? Int ?? -1, parent: record["parent"] as? String,
                                               properties: "\(record["size"] ?? "-") | \(record["weight"] ?? "-") | \(record["rank"] ?? "-") | "
                                                   + "\(record["title"] ?? "-") | \(record["summary"] ?? "-")")
            }
            let graphMembers = try servers.cypherWithPythonDriver("MATCH (e:Entity)-[:IN_COMMUNITY]->(c:__Community__) RETURN e.key AS key, c.id AS c")
                .map { (key: $0["key"] as? String ?? "?", community: $0["c"] as? String ?? "?") }
            (communities, communityIDs) = Self.describe(graphNodes, members: graphMembers)
            var registryNodes: [String: CommunityNode] = [:]
            for row in try servers.sql("""
                SELECT id, level, coalesce(parent_id, ''), size, weight, community_rank, title, summary FROM graphingest.communities
                """) where row.count == 8 {
                registryNodes[row[0]] = CommunityNode(level: Int(row[1]) ?? -1, parent: row[2].isEmpty ? nil : row[2],
                                                      properties: row[3...].joined(separator: " | "))
            }
            let registryMembers = try servers.sql("""
                SELECT e.key, m.community_id FROM graphingest.community_members m JOIN graphingest.entities e ON e.id = m.entity_id
                """).filter { $0.count == 2 }.map { (key: $0[0], community: $0[1]) }
            registryCommunities = Self.describe(registryNodes, members: registryMembers).communities
        }

        struct CommunityNode {
            var level: Int
            var parent: String?
            var properties: String
        }

        /// Each community as "L<level>: members" with its parent's name and its properties, and
        /// its id; members of a level above 0 are its children's.
        static func describe(_ nodes: [String: CommunityNode], members: [(key: String, community: String)])
            -> (communities: [String: String], ids: [String: String]) {
            var keys: [String: Set<String>] = [:]
            for member in members { keys[member.community, default: []].insert(member.key) }
            for level in 1...max(1, (nodes.values.map(\.level).max() ?? 0)) {
                for (id, node) in nodes where node.level == level - 1 {
                    if let parent = node.parent { keys[parent, default: []].formUnion(keys[id] ?? []) }
                }
            }
            func name(_ id: String?) -> String {
                guard let id else { return "(top)" }
                return "L\(nodes[id]?.level ?? -1): " + (keys[id] ?? []).sorted().joined(separator: ",")
            }
            var described: [String: String] = [:]
            var ids: [String: String] = [:]
            for (id, node) in nodes {
                described[name(id)] = name(node.parent) + " | " + node.properties
                ids[name(id)] = id
            }
            return (described, ids)
        }

        /// The graph's chunks agree with the registry's, and FROM_CHUNK adds up to MENTIONS.
        func expectInternallyConsistent(sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(registryChunks == chunks.mapValues { $0.split(separator: "|").prefix(3).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " | ") },
                    sourceLocation: sourceLocation)
            var sums: [String: [String: Int]] = [:]
            for (chunk, entities) in fromChunks {
                let source = String(chunk[..<chunk.lastIndex(of: "#")!])
                for (key, value) in entities { sums[source, default: [:]][key, default: 0] += Int(value.split(separator: " ").first ?? "") ?? -1 }
            }
            let mentionCounts = mentions.mapValues { $0.mapValues { Int($0.split(separator: " ").first ?? "") ?? -1 } }
            #expect(sums == mentionCounts.filter { !$0.value.isEmpty && chunks.keys.contains("\($0.key)#0") }, sourceLocation: sourceLocation)
            #expect(otherChunkRelationships == 0, sourceLocation: sourceLocation)
            // The edges are the registry's totals at the threshold, from the lower id to the
            // higher; the totals are the sums of the documents' pairs; nothing is left pending.
            #expect(cooccurrences == registryPairTotals, sourceLocation: sourceLocation)
            #expect(backwardCooccurrences.isEmpty, sourceLocation: sourceLocation)
            #expect(driftedPairTotals == 0, sourceLocation: sourceLocation)
            #expect(pendingPairs == 0, sourceLocation: sourceLocation)
            // The graph's communities are the registry's record of them.
            #expect(communities == registryCommunities, sourceLocation: sourceLocation)
        }
    }

    static func copyDemo() throws -> URL {
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-reindex-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: E2E.demo.appendingPathComponent("corpus"), to: corpus)
        return corpus
    }

    static func reindex(_ corpus: String, _ servers: ScratchServers, extra: [String] = []) throws -> (status: Int32, summary: [String: Any], stderr: String) {
        let output = try E2E.graphingest(["reindex", corpus, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules, "--json", "--quiet"] + extra, servers)
        return (output.status, output.lastJSONObject ?? [:], output.stderr)
    }

    /// A fresh ingest of `corpus` into databases of its own, as a dump.
    /// Chunks small enough that most demo documents have several.
    static let smallChunks = ["--chunk-size", "60"]

    static func freshIngest(_ corpus: String, label: String, extra: [String] = []) throws -> GraphDump {
        let servers = try ScratchServers.make(label)
        defer { servers.drop() }
        try E2E.initialize(servers)
        let output = try E2E.ingest(corpus, servers, extra: extra)
        #expect(output.status == 0, "\(output.stderr)")
        return try GraphDump(servers)
    }

    static func write(_ text: String, _ path: URL) throws {
        try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: path, atomically: true, encoding: .utf8)
    }

    static func expectSame(_ reindexed: GraphDump, _ fresh: GraphDump, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reindexed.documents == fresh.documents, sourceLocation: sourceLocation)
        #expect(reindexed.entities == fresh.entities, sourceLocation: sourceLocation)
        #expect(reindexed.mentions == fresh.mentions, sourceLocation: sourceLocation)
        #expect(reindexed.relationships == fresh.relationships, sourceLocation: sourceLocation)
        #expect(reindexed.chunks == fresh.chunks, sourceLocation: sourceLocation)
        #expect(reindexed.nextChunks == fresh.nextChunks, sourceLocation: sourceLocation)
        #expect(reindexed.fromChunks == fresh.fromChunks, sourceLocation: sourceLocation)
        #expect(reindexed.otherChunkRelationships == 0 && fresh.otherChunkRelationships == 0, sourceLocation: sourceLocation)
        // Deleted documents keep a tombstone in the registry: compare what is not deleted.
        #expect(reindexed.registryDocuments.filter { !$0.value.hasPrefix("deleted") } == fresh.registryDocuments, sourceLocation: sourceLocation)
        #expect(reindexed.registryMentions == fresh.registryMentions, sourceLocation: sourceLocation)
        #expect(reindexed.registryChunks == fresh.registryChunks, sourceLocation: sourceLocation)
        #expect(reindexed.cooccurrences == fresh.cooccurrences, sourceLocation: sourceLocation)
        #expect(reindexed.registryPairTotals == fresh.registryPairTotals, sourceLocation: sourceLocation)
        #expect(reindexed.registryPairs == fresh.registryPairs, sourceLocation: sourceLocation)
        #expect(reindexed.communities == fresh.communities, sourceLocation: sourceLocation)
        #expect(reindexed.registryCommunities == fresh.registryCommunities, sourceLocation: sourceLocation)
        reindexed.expectInternallyConsistent(sourceLocation: sourceLocation)
    }

    @Test func reindexAfterEditsDeletionsAndAdditionsEqualsAFreshIngest() throws {
        let corpus = try Self.copyDemo()
        defer { try? FileManager.default.removeItem(at: corpus) }
        let servers = try ScratchServers.make("rxedit")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try E2E.ingest(corpus.path, servers, extra: Self.smallChunks).status == 0)

        // Nothing changed yet: every document costs a stat or a hash, none is read or extracted.
        let idle = try Self.reindex(corpus.path, servers, extra: Self.smallChunks)
        #expect(idle.status == 0, "\(idle.stderr)")
        #expect(idle.summary["unchanged"] as? Int == 32)
        #expect(idle.summary["documents_read"] as? Int == 0)
        #expect(idle.summary["documents_extracted"] as? Int == 0)

        // Edit two files, delete one, add two, touch one; in the JSONL, change a record, drop one, add one.
        try Self.write("Only London and the United Kingdom now; write to press@example.org.", corpus.appendingPathComponent("europe/paris.txt"))
        try Self.write("Vienna, Wien: one city, two names.", corpus.appendingPathComponent("europe/vienna.txt"))
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("asia/beijing.txt"))
        try Self.write("Tokyo, Berlin and CERN; see https://example.org/new on 2026-11-27.", corpus.appendingPathComponent("new/first.txt"))
        try Self.write("# Madrid\n\nMadrid and Rome.", corpus.appendingPathComponent("new/second.md"))
        let berlin = corpus.appendingPathComponent("europe/berlin.md")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: berlin.path)
        let news = corpus.appendingPathComponent("news.jsonl")
        var lines = try String(contentsOf: news, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = #"{"id": "news-002", "text": "Moscow and Istanbul signed it; the WHO watched."}"#
        lines.remove(at: 2)
        lines.append(#"{"id": "news-999", "text": "Bangkok, Thailand, and Cairo."}"#)
        try (lines.joined(separator: "\n") + "\n").write(to: news, atomically: true, encoding: .utf8)

        let dry = try Self.reindex(corpus.path, servers, extra: Self.smallChunks + ["--dry-run"])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.summary["dry_run"] as? Bool == true)
        #expect(dry.summary["new"] as? Int == 3)      // first.txt, second.md, news-999
        #expect(dry.summary["changed"] as? Int == 3)  // paris, vienna, news-002 (berlin was only touched)
        #expect(dry.summary["gone"] as? Int == 2)     // beijing, news-003
        #expect(dry.stderr.contains("gone: asia/beijing.txt, news.jsonl#news-003"))
        #expect(try servers.sql("SELECT count(*) FROM graphingest.runs WHERE command = 'reindex'") == [["1"]], "a dry run records nothing")

        let run = try Self.reindex(corpus.path, servers, extra: Self.smallChunks)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.summary["new"] as? Int == 3)
        #expect(run.summary["changed"] as? Int == 4)              // berlin looks changed by its time...
        #expect(run.summary["unchanged_after_hash"] as? Int == 7)  // ...and is found identical, like 6 news records
        #expect(run.summary["documents_extracted"] as? Int == 6)   // only the new and changed documents
        #expect(run.summary["documents_read"] as? Int == 13)       // 5 files and the 8 records of news.jsonl
        #expect(run.summary["deleted"] as? Int == 2)
        #expect((run.summary["orphans_deleted"] as? Int ?? 0) >= 1)
        #expect(try servers.sql("SELECT status FROM graphingest.documents WHERE source = 'asia/beijing.txt'") == [["deleted"]])
        #expect(try servers.sql("SELECT version FROM graphingest.documents WHERE source = 'europe/paris.txt'") == [["2"]])

        let reindexed = try GraphDump(servers)
        #expect(reindexed.nextChunks.count > 20, "the demo documents have several chunks each")
        Self.expectSame(reindexed, try Self.freshIngest(corpus.path, label: "rxeditfresh", extra: Self.smallChunks))
        let check = try E2E.graphingest(["check"], servers)
        #expect(check.status == 0, "\(check.stdout)")

        // The touched file's new time was recorded: the next reindex reads nothing at all.
        let again = try Self.reindex(corpus.path, servers, extra: Self.smallChunks)
        #expect(again.summary["documents_read"] as? Int == 0)
        #expect(again.summary["unchanged"] as? Int == 33)
    }

    @Test func aListOfFilesNeverDeletesAndKeepOrphansKeepsThem() throws {
        let corpus = try Self.copyDemo()
        defer { try? FileManager.default.removeItem(at: corpus) }
        let servers = try ScratchServers.make("rxkeep")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try E2E.ingest(corpus.path, servers).status == 0)
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("asia/beijing.txt"))

        // Files named one by one say nothing about the files not named.
        let listed = try Self.reindex(corpus.appendingPathComponent("asia/tokyo.txt").path, servers)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.summary["gone"] as? Int == 0)
        #expect(try servers.sql("SELECT status FROM graphingest.documents WHERE source = 'asia/beijing.txt'") == [["loaded"]])

        // Paris changes, and with it goes the only mention of its visitors' address.
        try Self.write("Only London now.", corpus.appendingPathComponent("europe/paris.txt"))
        let kept = try Self.reindex(corpus.path, servers, extra: ["--keep-orphans"])
        #expect(kept.summary["deleted"] as? Int == 1)
        #expect(kept.summary["orphans_deleted"] as? Int == 0)
        let check = try CheckEndToEndIntegrationTests.check(servers)
        #expect(check.status == 1 && Set(check.failing.keys) == ["orphan_entities"], "the orphans are still there: \(check.failing)")
        let address = try servers.sql("SELECT id FROM graphingest.entities WHERE key = 'email:visitors@paris-example.org'")
        #expect(check.failing["orphan_entities"]?.contains(address.first?.first ?? "?") == true)
    }

    @Test func anotherExtractorFingerprintReextractsEverything() throws {
        let corpus = E2E.demo.appendingPathComponent("corpus").path
        let servers = try ScratchServers.make("rxprint")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try E2E.ingest(corpus, servers).status == 0)

        // Without the rules the extractor's fingerprint differs: every document is changed, and
        // the entities only rules found (addresses, dates, URLs, CVEs) lose their last MENTIONS.
        let output = try E2E.graphingest(["reindex", corpus, "--gazetteer", E2E.gazetteer, "--json", "--quiet"], servers)
        #expect(output.status == 0, "\(output.stderr)")
        let summary = try E2E.summary(output)
        #expect(summary["changed"] as? Int == 32)
        #expect(summary["documents_extracted"] as? Int == 32)
        #expect((summary["orphans_deleted"] as? Int ?? 0) > 0)

        let fresh = try ScratchServers.make("rxprintfresh")
        defer { fresh.drop() }
        try E2E.initialize(fresh)
        #expect(try E2E.graphingest(["ingest", corpus, "--gazetteer", E2E.gazetteer, "--quiet"], fresh).status == 0)
        Self.expectSame(try GraphDump(servers), try GraphDump(fresh))
    }

    /// The case policy and the word lists are parts of the fingerprint: changing one re-extracts
    /// every document, and the graph then equals a fresh ingest with the new settings.
    @Test func changingTheCasePolicyOrTheCommonWordsReextractsAndEqualsAFreshIngest() throws {
        let corpus = try Self.copyDemo()
        defer { try? FileManager.default.removeItem(at: corpus) }
        // Text on which the settings disagree: a lowercase "paris" (fold only), a sentence-initial
        // "Paris" (not when "paris" is a common word).
        try Self.write("Paris is big. We like paris, and Berlin too.", corpus.appendingPathComponent("case/policy.txt"))
        let commonWords = corpus.appendingPathComponent("common-words.list")
        try Self.write("paris\n", commonWords)
        let servers = try ScratchServers.make("rxcase")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try E2E.ingest(corpus.path, servers, extra: ["--case", "fold", "--exclude", "*.list"]).status == 0)
        func mentionsOfParis() throws -> [[String]] {
            try servers.sql("""
                SELECT m.count FROM graphingest.document_mentions m JOIN graphingest.documents d ON d.id = m.document_id
                JOIN graphingest.entities e ON e.id = m.entity_id WHERE d.source = 'case/policy.txt' AND e.key = 'geo:2988507'
                """)
        }
        #expect(try mentionsOfParis() == [["2"]])

        for (settings, paris) in [([], "1"), (["--common-words", commonWords.path], nil)] as [([String], String?)] {
            let extra = settings + ["--exclude", "*.list"]
            let run = try Self.reindex(corpus.path, servers, extra: extra)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.summary["changed"] as? Int == 33, "\(settings)")
            #expect(run.summary["documents_extracted"] as? Int == 33, "\(settings)")
            #expect(try mentionsOfParis() == (paris.map { [[$0]] } ?? []), "\(settings)")
            Self.expectSame(try GraphDump(servers), try Self.freshIngest(corpus.path, label: "rxcasefresh", extra: extra))
        }
    }

    /// A corpus of `count` generated files; each names a few places and an address of its own
    /// (an entity only it mentions, so that changing or deleting it leaves an orphan).
    static func generate(_ folder: URL, count: Int, version: Int, skip: (Int) -> Bool = { _ in false }) throws {
        let places = ["Paris", "Berlin", "London", "Tokyo", "Vienna", "Madrid", "Rome", "Cairo", "Moscow", "Bangkok", "CERN", "UNESCO"]
        for index in 0..<count where !skip(index) {
            let picked = (0..<3).map { places[(index * 7 + $0 * 5 + version) % places.count] }
            let text = "Report \(index) v\(version): \(picked.joined(separator: ", ")). Contact desk\(index)v\(version)@example.org.\n"
                + String(repeating: "Nothing else of note here. ", count: 20)
            try write(text, folder.appendingPathComponent("part\(index % 10)/doc\(index).txt"))
        }
    }

    @Test func aReindexKilledPartWayAndRunAgainConverges() throws {
        let corpus = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-kill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Self.generate(corpus, count: 300, version: 1)
        let servers = try ScratchServers.make("rxkill")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try E2E.ingest(corpus.path, servers).status == 0)

        // Change 200 files, delete 50, add 50.
        try Self.generate(corpus, count: 200, version: 2)
        for index in 250..<300 { try FileManager.default.removeItem(at: corpus.appendingPathComponent("part\(index % 10)/doc\(index).txt")) }
        try Self.generate(corpus, count: 350, version: 3, skip: { $0 < 300 })

        // Kill it once some of its commits have landed.
        let process = try Shell.start(IntegrationEnvironment.graphingest, [
            "reindex", corpus.path, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules, "--quiet",
            "--documents-per-commit", "4", "--workers", "1", "--extraction-workers", "1",
        ], environment: servers.environment)
        var landed = 0
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && landed == 0 && Date() < deadline {
            landed = Int(try servers.sql("SELECT count(*) FROM graphingest.documents WHERE version > 1")[0][0]) ?? 0
        }
        let wasRunning = process.isRunning
        kill(process.processIdentifier, SIGKILL)
        let killed = Shell.finish(process)
        #expect(wasRunning && killed.status == SIGKILL, "the reindex finished before it could be killed")
        let changedBefore = Int(try servers.sql("SELECT count(*) FROM graphingest.documents WHERE version > 1")[0][0]) ?? 0
        #expect(changedBefore < 200, "killed part-way: \(changedBefore) of 200 changed documents were done")
        #expect(try servers.sql("SELECT count(*) FROM graphingest.runs WHERE command = 'reindex' AND finished_at IS NULL") == [["1"]])

        let rerun = try Self.reindex(corpus.path, servers)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.summary["deleted"] as? Int == 50)
        #expect((rerun.summary["orphans_deleted"] as? Int ?? 0) >= 250, "the killed run's orphans are swept too")

        let reindexed = try GraphDump(servers)
        #expect(reindexed.documents.count == 300)
        Self.expectSame(reindexed, try Self.freshIngest(corpus.path, label: "rxkillfresh"))
        let check = try E2E.graphingest(["check"], servers)
        #expect(check.status == 0, "\(check.stdout)")
    }
}
