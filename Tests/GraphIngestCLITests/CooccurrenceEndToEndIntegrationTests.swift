import Foundation
import IntegrationSupport
import Testing

/// CO_OCCURS_WITH against the real servers: edges equal a fresh ingest after any reindex (pairs
/// crossing the threshold both ways, a changed threshold), counts equal an independent recount
/// of `extract`'s output, crowded windows add nothing, and a kill -9 between the graph write and
/// the registry's record of it is finished by the next run.
@Suite(.serialized) struct CooccurrenceEndToEndIntegrationTests {
    typealias GraphDump = ReindexEndToEndIntegrationTests.GraphDump
    typealias E2E = IngestEndToEndIntegrationTests

    static func folder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-\(name)-\(UUID().uuidString)")
    }

    static func write(_ files: [String: String], to folder: URL) throws {
        for (name, text) in files { try ReindexEndToEndIntegrationTests.write(text, folder.appendingPathComponent(name)) }
    }

    static func cooccurrence(_ summary: [String: Any]) -> [String: Int] {
        (summary["cooccurrence"] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int }
    }

    /// The graph's edges by entity name: "A ~ B" (sorted) -> "count | documents".
    static func edgesByName(_ servers: ScratchServers) throws -> [String: String] {
        var edges: [String: String] = [:]
        for record in try servers.cypherWithPythonDriver(
            "MATCH (a:Entity)-[r:CO_OCCURS_WITH]->(b:Entity) RETURN a.name AS a, b.name AS b, r.count AS c, r.documents AS n") {
            let key = [record["a"] as? String ?? "?", record["b"] as? String ?? "?"].sorted().joined(separator: " ~ ")
            edges[key] = "\(record["c"] ?? "-") | \(record["n"] ?? "-")"
        }
        return edges
    }

    @Test func pairsCrossingTheThresholdBothWaysEndAsAFreshIngest() throws {
        let corpus = Self.folder("cooc")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Self.write([
            "a.txt": "Paris and Berlin.",
            "b.txt": "Berlin and Paris meet.",
            "c.txt": "London and Rome.",
            "d.txt": "Madrid and Rome. Madrid alone.",
        ], to: corpus)
        let servers = try ScratchServers.make("cooc")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let first = try E2E.ingest(corpus.path, servers)
        #expect(first.status == 0, "\(first.stderr)")
        // The default threshold is 2: only Paris and Berlin share two sentences.
        #expect(try Self.edgesByName(servers) == ["Berlin ~ Paris": "2 | 2"])
        #expect(Self.cooccurrence(try E2E.summary(first))["edges_created"] == 1)

        // Berlin and Paris part (2 -> 1: the edge goes); London and Rome, Madrid and Rome meet
        // again (1 -> 2: edges come); c.txt goes and f.txt brings its pair back.
        try Self.write([
            "b.txt": "Berlin alone. Paris alone.",
            "e.txt": "Rome and London, and Madrid.",
            "f.txt": "London and Rome.",
        ], to: corpus)
        try FileManager.default.removeItem(at: corpus.appendingPathComponent("c.txt"))
        let reindex = try ReindexEndToEndIntegrationTests.reindex(corpus.path, servers, extra: [])
        #expect(reindex.status == 0, "\(reindex.stderr)")
        let figures = Self.cooccurrence(reindex.summary)
        // London ~ Rome is written twice: created at 3 while c.txt still counts (gone documents
        // go after the new and changed ones), then updated to 2.
        #expect(figures["edges_created"] == 2 && figures["edges_deleted"] == 1 && figures["edges_updated"] == 1, "\(figures)")
        #expect(try Self.edgesByName(servers) == ["Madrid ~ Rome": "2 | 2", "London ~ Rome": "2 | 2"])
        ReindexEndToEndIntegrationTests.expectSame(try GraphDump(servers),
                                                   try ReindexEndToEndIntegrationTests.freshIngest(corpus.path, label: "coocfresh"))
        let status = try E2E.graphingest(["status"], servers)
        #expect(status.stdout.contains("relations: 2 CO_OCCURS_WITH (pairs seen in 2+ windows, of 4 pairs counted)"), "\(status.stdout)")

        // A lower threshold needs no extraction: the pairs seen once get their edges.
        let lower = try ReindexEndToEndIntegrationTests.reindex(corpus.path, servers, extra: ["--min-cooccurrence", "1"])
        #expect(lower.status == 0, "\(lower.stderr)")
        #expect(lower.summary["documents_extracted"] as? Int == 0)
        #expect(Self.cooccurrence(lower.summary)["edges_created"] == 2)  // Berlin ~ Paris, London ~ Madrid
        ReindexEndToEndIntegrationTests.expectSame(
            try GraphDump(servers),
            try ReindexEndToEndIntegrationTests.freshIngest(corpus.path, label: "coocfresh1", extra: ["--min-cooccurrence", "1"]))
        // Without the option the threshold in force stays: nothing to write.
        let kept = try ReindexEndToEndIntegrationTests.reindex(corpus.path, servers, extra: [])
        #expect(kept.status == 0 && Self.cooccurrence(kept.summary)["edges_created"] == 0 && Self.cooccurrence(kept.summary)["edges_deleted"] == 0)
        #expect(try Self.edgesByName(servers).count == 4)
        // And back: the edges of pairs seen once go again.
        let higher = try ReindexEndToEndIntegrationTests.reindex(corpus.path, servers, extra: ["--min-cooccurrence", "2"])
        #expect(Self.cooccurrence(higher.summary)["edges_deleted"] == 2)
        #expect(try Self.edgesByName(servers) == ["Madrid ~ Rome": "2 | 2", "London ~ Rome": "2 | 2"])

        // --no-cooccurrence changes the fingerprint: every document is counted again, with no
        // pairs, and the edges and totals go.
        let off = try ReindexEndToEndIntegrationTests.reindex(corpus.path, servers, extra: ["--no-cooccurrence"])
        #expect(off.status == 0, "\(off.stderr)")
        #expect(off.summary["documents_extracted"] as? Int == 5)
        #expect(try Self.edgesByName(servers).isEmpty)
        #expect(try servers.sql("SELECT count(*) FROM graphingest.pair_totals") == [["0"]])
        #expect(try servers.sql("SELECT count(*) FROM graphingest.document_pairs") == [["0"]])
    }

    @Test func edgesEqualAnIndependentRecountOfExtractsChunksAndMentions() throws {
        let corpus = E2E.demo.appendingPathComponent("corpus").path
        let options = ["--cooccurrence-window", "chunk", "--chunk-size", "120"]
        let extract = try Shell.run(IntegrationEnvironment.graphingest,
                                    ["extract", corpus, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules] + options)
        // Recount from the JSONL alone: a mention belongs to the chunk that holds its start; a
        // chunk with two to twelve distinct entities adds one to each of its pairs, except a pair
        // whose only mentions there are one shared span (two readings of one ambiguous name).
        var chunks: [String: [Range<Int>]] = [:]
        var starts: [String: [(start: Int, span: [Int], key: String)]] = [:]
        for line in extract.stdout.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let source = object["source"] as? String ?? ""
            switch object["kind"] as? String {
            case "chunk": chunks[source, default: []].append((object["start"] as! Int)..<(object["end"] as! Int))
            case "mention":
                for span in object["spans"] as! [[Int]] { starts[source, default: []].append((span[0], span, object["key"] as! String)) }
            default: break
            }
        }
        var count: [String: Int] = [:]
        var documents: [String: Set<String>] = [:]
        var crowded = 0
        for (source, ranges) in chunks {
            for range in ranges {
                let spansOf = Dictionary(grouping: (starts[source] ?? []).filter { range.contains($0.start) }, by: \.key)
                    .mapValues { $0.map(\.span) }
                let keys = spansOf.keys.sorted()
                guard keys.count >= 2 else { continue }
                guard keys.count <= 12 else { crowded += 1; continue }
                for first in keys.indices {
                    for second in keys.indices where second > first {
                        let (one, other) = (spansOf[keys[first]]!, spansOf[keys[second]]!)
                        if one.count == 1, one == other { continue }
                        let pair = "\(keys[first]) ~ \(keys[second])"
                        count[pair, default: 0] += 1
                        documents[pair, default: []].insert(source)
                    }
                }
            }
        }
        #expect(count.count > 50, "the demo corpus has pairs to compare")

        let servers = try ScratchServers.make("cooccount")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let ingest = try E2E.ingest(corpus, servers, extra: options + ["--min-cooccurrence", "1"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(Self.cooccurrence(try E2E.summary(ingest))["windows_over_cap"] == crowded)
        let dump = try GraphDump(servers)
        #expect(dump.cooccurrences == count.mapValues { "\($0)" }.merging(documents.mapValues { "\($0.count)" }) { "\($0) | \($1)" })
        dump.expectInternallyConsistent()
    }

    @Test func aSentenceWithMoreEntitiesThanTheCapAddsNoPairs() throws {
        let corpus = Self.folder("cooccap")
        defer { try? FileManager.default.removeItem(at: corpus) }
        let crowd = "Paris, Berlin, London, Tokyo, Vienna, Madrid, Rome, Cairo, Moscow, Bangkok, Beijing, Istanbul, Jerusalem and Germany."
        try Self.write(["list.txt": crowd + " Paris and Berlin again."], to: corpus)
        let servers = try ScratchServers.make("cooccap")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let capped = try E2E.ingest(corpus.path, servers, extra: ["--min-cooccurrence", "1"])
        #expect(capped.status == 0, "\(capped.stderr)")
        let figures = Self.cooccurrence(try E2E.summary(capped))
        #expect(figures["windows_over_cap"] == 1 && figures["windows_with_pairs"] == 1 && figures["pairs_counted"] == 1, "\(figures)")
        #expect(try Self.edgesByName(servers) == ["Berlin ~ Paris": "1 | 1"])

        // Without a cap the crowded sentence adds its 91 pairs (the fingerprint changed, so the
        // document is extracted again and its old pairs replaced).
        let uncapped = try ReindexEndToEndIntegrationTests.reindex(corpus.path, servers, extra: ["--min-cooccurrence", "1", "--max-entities-per-window", "0"])
        #expect(uncapped.status == 0, "\(uncapped.stderr)")
        let edges = try Self.edgesByName(servers)
        #expect(edges.count == 14 * 13 / 2)
        #expect(edges["Berlin ~ Paris"] == "2 | 1")
    }

    @Test func aKillBetweenTheEdgeWriteAndItsRecordIsFinishedByTheNextRun() throws {
        let corpus = Self.folder("coockill")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try ReindexEndToEndIntegrationTests.generate(corpus, count: 300, version: 1)
        let servers = try ScratchServers.make("coockill")
        defer { servers.drop() }
        try E2E.initialize(servers)
        // Killed (SIGKILL) right after its first edge write reached the graph: at the end of the
        // first run, then in the second run's first step, which writes what the first left.
        for writes in ["1", "1"] {
            let killed = try E2E.graphingest(
                ["ingest", corpus.path, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules, "--quiet", "--documents-per-commit", "20",
                 "--min-cooccurrence", "1", "--test-kill-after-edge-writes", writes], servers)
            #expect(killed.status != 0, "the process was killed")
            let pending = Int(try servers.sql("SELECT count(*) FROM graphingest.pair_totals WHERE pending")[0][0]) ?? 0
            #expect(pending > 0, "the kill left edges the registry has not recorded as written")
        }
        let rerun = try E2E.ingest(corpus.path, servers, extra: ["--min-cooccurrence", "1"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let dump = try GraphDump(servers)
        #expect(dump.cooccurrences.count > 20)
        ReindexEndToEndIntegrationTests.expectSame(
            dump, try ReindexEndToEndIntegrationTests.freshIngest(corpus.path, label: "coockillfresh", extra: ["--min-cooccurrence", "1"]))
    }

    @Test func checkFindsEachRelationCorruptionAndRepairRemovesIt() throws {
        let corpus = E2E.demo.appendingPathComponent("corpus").path
        let servers = try ScratchServers.make("coocheck")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try E2E.ingest(corpus, servers, extra: ["--min-cooccurrence", "1"]).status == 0)
        let clean = try CheckEndToEndIntegrationTests.check(servers)
        #expect(clean.status == 0 && clean.failing.isEmpty, "not clean before the corruption: \(clean.failing)")
        let fresh = try GraphDump(servers)

        func id(_ key: String) throws -> String { try servers.sql("SELECT id FROM graphingest.entities WHERE key = '\(key)'")[0][0] }
        let (paris, berlin, london, tokyo) = (try id("geo:2988507"), try id("geo:2950159"), try id("geo:2643743"), try id("geo:1850147"))
        let (thames, seine, cern) = (try id("river:thames"), try id("river:seine"), try id("org:cern"))
        func cypher(_ query: String) throws { _ = try servers.cypherWithPythonDriver(query) }
        // Missing: the London ~ Thames edge goes. Extra: Seine ~ CERN never met, and a Paris ~
        // Berlin edge the wrong way round. Drift: Paris ~ London's count. Registry drift: the
        // totals of Tokyo ~ Berlin.
        let (low, high) = (min(Int(london)!, Int(thames)!), max(Int(london)!, Int(thames)!))
        try cypher("MATCH (:Entity {id: \(low)})-[r:CO_OCCURS_WITH]->(:Entity {id: \(high)}) DELETE r")
        try cypher("MATCH (a:Entity {id: \(seine)}), (b:Entity {id: \(cern)}) CREATE (a)-[:CO_OCCURS_WITH {count: 5, documents: 1}]->(b)")
        let (first, second) = Int(paris)! < Int(berlin)! ? (berlin, paris) : (paris, berlin)
        try cypher("MATCH (a:Entity {id: \(first)}), (b:Entity {id: \(second)}) CREATE (a)-[:CO_OCCURS_WITH {count: 1, documents: 1}]->(b)")
        try cypher("MATCH (a:Entity)-[r:CO_OCCURS_WITH]->(b:Entity) WHERE a.id IN [\(paris), \(london)] AND b.id IN [\(paris), \(london)] SET r.count = 99")
        let (tokyoBerlinLow, tokyoBerlinHigh) = (min(Int(tokyo)!, Int(berlin)!), max(Int(tokyo)!, Int(berlin)!))
        _ = try servers.sql("UPDATE graphingest.pair_totals SET count = count + 7 WHERE entity_a = \(tokyoBerlinLow) AND entity_b = \(tokyoBerlinHigh)")

        let found = try CheckEndToEndIntegrationTests.check(servers)
        #expect(found.status == 1)
        #expect(Set(found.failing.keys) == ["missing_relations", "extra_relations", "relation_count_drift", "relation_total_drift"], "\(found.failing)")
        #expect(found.failing["missing_relations"] == ["\(low)-\(high)"])
        #expect(Set(found.failing["extra_relations"] ?? []) == ["\(seine)->\(cern)", "\(first)->\(second)"])
        #expect(found.failing["relation_total_drift"] == ["\(tokyoBerlinLow)-\(tokyoBerlinHigh)"])

        let repaired = try CheckEndToEndIntegrationTests.check(servers, repair: true)
        #expect(repaired.status == 0, "\(repaired.json)")
        let after = try CheckEndToEndIntegrationTests.check(servers)
        #expect(after.status == 0 && after.failing.isEmpty, "after the repair: \(after.failing)")
        let dump = try GraphDump(servers)
        #expect(dump.cooccurrences == fresh.cooccurrences)
        #expect(dump.registryPairTotals == fresh.registryPairTotals)
        dump.expectInternallyConsistent()
    }

    @Test func extractWritesPairLinesAndLoadGivesTheEdgesIngestGives() throws {
        let corpus = E2E.demo.appendingPathComponent("corpus").path
        let extracted = try Shell.run(IntegrationEnvironment.graphingest, ["extract", corpus, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules])
        var lines = extracted.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix(#"{"kind":"pair","source":"notes/travel.txt","a":"#) })
        // A pair line naming an entity its document has no mention line of fails that document.
        let travel = try #require(lines.lastIndex { $0.contains(#""source":"notes/travel.txt""#) })
        lines.insert(#"{"kind":"pair","source":"notes/travel.txt","a":"geo:2988507","b":"org:unesco","count":1}"#, at: travel + 1)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-pairs-\(UUID().uuidString).jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }

        let servers = try ScratchServers.make("coocload")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let bad = try E2E.graphingest(["load", file.path, "--json", "--quiet"], servers)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("\(file.path):\(travel + 2)") && bad.stderr.contains("org:unesco"), "\(bad.stderr)")
        lines.remove(at: travel + 1)
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let good = try E2E.graphingest(["load", file.path, "--json", "--quiet"], servers)
        #expect(good.status == 0, "\(good.stderr)")

        let loaded = try GraphDump(servers)
        let fresh = try ReindexEndToEndIntegrationTests.freshIngest(corpus, label: "coocloadfresh")
        #expect(loaded.cooccurrences.count > 10)
        #expect(loaded.cooccurrences == fresh.cooccurrences)
        #expect(loaded.registryPairTotals == fresh.registryPairTotals)
        #expect(loaded.registryPairs == fresh.registryPairs)
        loaded.expectInternallyConsistent()
    }

    /// The ```cypher blocks of README.md's "From an entity to its neighbours" paragraph.
    static func readmeNeighbourCypher() throws -> [String] {
        let readme = try String(contentsOf: IntegrationEnvironment.fixturesDirectory.deletingLastPathComponent()
            .appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "**From an entity to its neighbours.**"), "README has no neighbour paragraph")
        var rest = readme[start.upperBound...]
        var blocks: [String] = []
        while blocks.count < 2, let open = rest.range(of: "```cypher\n"), let close = rest[open.upperBound...].range(of: "```") {
            blocks.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return blocks
    }

    @Test func theReadmeNeighbourAndNPMICypherRunAndAgreeWithTheCounts() throws {
        let corpus = E2E.demo.appendingPathComponent("corpus").path
        let servers = try ScratchServers.make("coocreadme")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try E2E.ingest(corpus, servers).status == 0)
        let blocks = try Self.readmeNeighbourCypher()
        #expect(blocks.count == 2)
        let neighbours = try servers.cypherWithPythonDriver(blocks[0].replacingOccurrences(of: "$name", with: "'Paris'"))
        let expected = try Self.edgesByName(servers).filter { $0.key.split(separator: "~").contains { $0.trimmingCharacters(in: .whitespaces) == "Paris" } }
        #expect(!neighbours.isEmpty && neighbours.count == min(10, expected.count))
        let windows = neighbours.compactMap { $0["windows"] as? Int }
        #expect(windows == windows.sorted(by: >), "strongest first")
        let npmi = try servers.cypherWithPythonDriver(blocks[1].replacingOccurrences(of: "$name", with: "'Paris'"))
        #expect(Set(npmi.compactMap { $0["neighbour"] as? String }) == Set(neighbours.compactMap { $0["neighbour"] as? String }))
        let scores = npmi.compactMap { $0["npmi"] as? Double }
        #expect(scores.count == npmi.count && scores.allSatisfy { $0 >= -1 && $0 <= 1 } && scores == scores.sorted(by: >), "\(npmi)")
    }

    /// Two processes commit pairs of the same popular entities at once (each half of a corpus,
    /// many small batches): no increment is lost, and the edges equal one ingest's of the whole.
    @Test func twoConcurrentIngestsLoseNoIncrement() throws {
        let corpus = Self.folder("coocpair")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try ReindexEndToEndIntegrationTests.generate(corpus, count: 400, version: 1)
        let servers = try ScratchServers.make("coocpair")
        defer { servers.drop() }
        try E2E.initialize(servers)
        // The places every part names are made by a first run: two processes creating the same
        // new Entity at once is issue 15's (one of them meets the uniqueness constraint).
        #expect(try E2E.ingest(corpus.path, servers, extra: ["--include", "part0/**", "--min-cooccurrence", "1"]).status == 0)
        let processes = try ["part[1-4]/**", "part[5-9]/**"].map { include in
            try Shell.start(IntegrationEnvironment.graphingest, [
                "ingest", corpus.path, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules, "--quiet", "--include", include,
                "--documents-per-commit", "5", "--min-cooccurrence", "1",
            ], environment: servers.environment)
        }
        for process in processes {
            let output = Shell.finish(process)
            #expect(output.status == 0, "\(output.stderr)")
        }
        let dump = try GraphDump(servers)
        #expect(dump.registryDocuments.count == 400)
        #expect(dump.cooccurrences.count > 20)
        ReindexEndToEndIntegrationTests.expectSame(
            dump, try ReindexEndToEndIntegrationTests.freshIngest(corpus.path, label: "coocpairfresh", extra: ["--min-cooccurrence", "1"]))
    }
}
