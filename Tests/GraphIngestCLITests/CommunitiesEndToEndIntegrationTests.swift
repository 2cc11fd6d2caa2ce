import Foundation
import IntegrationSupport
import Testing

/// Communities against the real servers: equal to a fresh ingest after a reindex that moves
/// entities between them, stable ids for what did not change, `check` finds a graph changed by
/// hand and `--repair` mends it, an interrupted write is finished by the next run, and an
/// independent computation (python-igraph over the graph read with the official driver) agrees
/// on the partition's quality and the hierarchy's consistency.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled)) struct CommunitiesEndToEndIntegrationTests {
    typealias GraphDump = ReindexEndToEndIntegrationTests.GraphDump
    typealias E2E = IngestEndToEndIntegrationTests
    typealias Reindex = ReindexEndToEndIntegrationTests

    /// Small communities, so the demo-sized corpus has more than one level.
    static let options = ["--max-community-size", "3"]

    /// A ring of eight triangles: each triangle's names share two sentences, and each triangle
    /// shares two sentences with the next through one pair. Modularity merges neighbouring
    /// triangles on the whole ring (its resolution limit), so the top level has communities over
    /// the size limit, which the next level splits into their triangles.
    static let triangles = [
        ["Paris", "Berlin", "London"], ["Tokyo", "Beijing", "Bangkok"], ["New York City", "Istanbul", "Moscow"],
        ["Vienna", "Madrid", "Munich"], ["Rome", "Cairo", "Jerusalem"], ["France", "Germany", "Japan"],
        ["China", "Thailand", "United States"], ["Seine", "Thames", "Danube"],
    ]

    static func ring(_ triangles: [[String]]) -> [String: String] {
        var files: [String: String] = [:]
        for (index, names) in triangles.enumerated() {
            let sentence = names.joined(separator: " and ")
            files["group-\(index).txt"] = "\(sentence). Again \(sentence)."
            let next = triangles[(index + 1) % triangles.count]
            files["link-\(index).txt"] = "\(names.last!) and \(next[0]). Again \(names.last!) and \(next[0])."
        }
        return files
    }

    static let corpus = ring(triangles)

    static func ingest(_ corpus: URL, _ servers: ScratchServers, extra: [String] = []) throws -> [String: Any] {
        let output = try E2E.ingest(corpus.path, servers, extra: options + extra)
        #expect(output.status == 0, "\(output.stderr)")
        return try E2E.summary(output)
    }

    static func communities(_ summary: [String: Any]) -> [String: Any] {
        summary["communities"] as? [String: Any] ?? [:]
    }

    @Test func aReindexThatMovesEntitiesEqualsAFreshIngestAndKeepsTheIDsOfWhatDidNotChange() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("communities")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try CooccurrenceEndToEndIntegrationTests.write(Self.corpus, to: corpus)
        let servers = try ScratchServers.make("comm")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let first = Self.communities(try Self.ingest(corpus, servers))
        #expect((first["levels"] as? [[String: Any]])?.count ?? 0 >= 2, "\(first)")
        let before = try GraphDump(servers)
        before.expectInternallyConsistent()
        #expect(!before.communities.isEmpty)
        // `context` gives the question's communities, the finest first, with their text.
        let context = try E2E.graphingest(["context", "How do Paris and Berlin meet?", "--gazetteer", E2E.gazetteer, "--json"], servers)
        #expect(context.status == 0, "\(context.stderr)")
        let communities = (context.lastJSONObject ?? [:])["communities"] as? [[String: Any]] ?? []
        #expect(communities.first?["level"] as? Int == 0, "\(communities)")
        let firstEntities: [String] = communities.first?["question_entities"] as? [String] ?? []
        #expect(firstEntities.contains("geo:2988507"), "\(communities)")
        #expect(Set(communities.compactMap { $0["level"] as? Int }).count >= 2, "every level of the entities' communities: \(communities)")
        #expect(communities.allSatisfy { !($0["title"] as? String ?? "").isEmpty && !($0["summary"] as? String ?? "").isEmpty })
        // Summaries quote their central passages.
        #expect(communities.allSatisfy { ($0["summary"] as? String ?? "").contains("Passages: “") }, "\(communities)")
        // `context --global` ranks the coarsest level's communities, the one holding Paris first.
        let top = before.communities.keys.compactMap { Int($0.dropFirst().prefix { $0 != ":" }) }.max() ?? -1
        let global = try E2E.graphingest(["context", "Which group holds Paris?", "--global", "--limit", "2", "--gazetteer", E2E.gazetteer, "--json"],
                                         servers)
        #expect(global.status == 0, "\(global.stderr)")
        let ranked = global.lastJSONObject ?? [:]
        #expect(ranked["level"] as? Int == top, "\(ranked)")
        #expect(ranked["candidates"] as? Int == before.communities.keys.filter { $0.hasPrefix("L\(top):") }.count, "\(ranked)")
        let best = ranked["communities"] as? [[String: Any]] ?? []
        #expect(best.count == 2 && best.first?["question_entities"] as? [String] == ["geo:2988507"], "\(best)")
        #expect(best.last?["question_entities"] as? [String] == [], "\(best)")

        // Rome leaves its triangle for Tokyo's (a community splits, another grows), one link
        // goes (the ring opens), and a new pair comes.
        var moved = Self.triangles
        moved[4].removeFirst()
        moved[1].append("Rome")
        var files = Self.ring(moved)
        files["link-7.txt"] = nil
        files["cairo.txt"] = "Vienna and UNESCO. Again Vienna and UNESCO."
        try FileManager.default.removeItem(at: corpus)
        try CooccurrenceEndToEndIntegrationTests.write(files, to: corpus)
        let reindex = try Reindex.reindex(corpus.path, servers, extra: Self.options)
        #expect(reindex.status == 0, "\(reindex.stderr)")
        let written = Self.communities(reindex.summary)
        #expect((written["nodes_written"] as? Int ?? 0) > 0, "\(written)")
        let after = try GraphDump(servers)
        Reindex.expectSame(after, try Reindex.freshIngest(corpus.path, label: "commfresh", extra: Self.options))
        // A community whose members did not change kept its id (so what is attached to it stays).
        let kept = Set(before.communityIDs.keys).intersection(after.communityIDs.keys)
        #expect(!kept.isEmpty)
        for key in kept { #expect(before.communityIDs[key] == after.communityIDs[key], "\(key)") }

        // Nothing changed: nothing is written.
        let again = try E2E.graphingest(["communities", "--json"] + Self.options, servers)
        #expect(again.status == 0, "\(again.stderr)")
        let figures = again.lastJSONObject ?? [:]
        #expect(["nodes_written", "parents_written", "memberships_written", "nodes_deleted"].allSatisfy { figures[$0] as? Int == 0 }, "\(figures)")
    }

    @Test func twoFreshIngestsGiveTheSameCommunitiesAndNoCommunitiesLeavesNone() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("commdet")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try CooccurrenceEndToEndIntegrationTests.write(Self.corpus, to: corpus)
        let one = try Reindex.freshIngest(corpus.path, label: "commone", extra: Self.options)
        let two = try Reindex.freshIngest(corpus.path, label: "commtwo", extra: Self.options)
        #expect(one.communities == two.communities)
        #expect(one.communityIDs == two.communityIDs)
        let none = try Reindex.freshIngest(corpus.path, label: "commnone", extra: ["--no-communities"])
        #expect(none.communities.isEmpty && none.registryCommunities.isEmpty)
    }

    @Test func checkFindsCommunitiesChangedByHandAndRepairMendsThem() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("commcheck")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try CooccurrenceEndToEndIntegrationTests.write(Self.corpus, to: corpus)
        let servers = try ScratchServers.make("commcheck")
        defer { servers.drop() }
        try E2E.initialize(servers)
        _ = try Self.ingest(corpus, servers)
        let good = try GraphDump(servers)
        // One community gone, one made up, an entity moved, a title edited.
        _ = try servers.cypherWithPythonDriver("MATCH (c:__Community__) WITH c ORDER BY c.id LIMIT 1 DETACH DELETE c")
        _ = try servers.cypherWithPythonDriver("MATCH (c:__Community__) WITH c ORDER BY c.id DESC LIMIT 1 SET c.title = 'edited'")
        _ = try servers.cypherWithPythonDriver("CREATE (:__Community__ {id: '9-made-up', level: 9})")
        _ = try servers.cypherWithPythonDriver("""
            MATCH (e:Entity {key: 'geo:1850147'})-[r:IN_COMMUNITY]->() DELETE r
            """)
        let check = try E2E.graphingest(["check", "--json"] + Self.options, servers)
        #expect(check.status == 1, "\(check.stdout)\(check.stderr)")
        let found = (check.lastJSONObject ?? [:])["communities"] as? [String: Any] ?? [:]
        #expect((found["nodes_deleted"] as? Int ?? 0) >= 1 && (found["nodes_written"] as? Int ?? 0) >= 2
                && (found["memberships_written"] as? Int ?? 0) >= 1, "\(found)")
        let repair = try E2E.graphingest(["check", "--repair", "--json"] + Self.options, servers)
        #expect(repair.status == 0, "\(repair.stdout)\(repair.stderr)")
        #expect((repair.lastJSONObject ?? [:])["consistent"] as? Bool == true)
        let mended = try GraphDump(servers)
        #expect(mended.communities == good.communities)
        mended.expectInternallyConsistent()
    }

    @Test func aWriteThatStoppedHalfWayIsFinishedByTheNextRun() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("commcrash")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try CooccurrenceEndToEndIntegrationTests.write(Self.corpus, to: corpus)
        let servers = try ScratchServers.make("commcrash")
        defer { servers.drop() }
        try E2E.initialize(servers)
        _ = try Self.ingest(corpus, servers)
        let good = try GraphDump(servers)
        // What a process killed between its graph write and the registry's record leaves: the
        // mark, and a graph the registry does not describe (here: links gone, a node left over).
        _ = try servers.sql("INSERT INTO graphingest.settings (name, value) VALUES ('communities_writing', 'true')")
        _ = try servers.cypherWithPythonDriver("MATCH (:Entity)-[r:IN_COMMUNITY]->() WITH r LIMIT 3 DELETE r")
        _ = try servers.cypherWithPythonDriver("CREATE (:__Community__ {id: '0-left-over', level: 0})")
        let run = try E2E.graphingest(["communities", "--json"] + Self.options, servers)
        #expect(run.status == 0, "\(run.stderr)")
        #expect((run.lastJSONObject ?? [:])["repaired_interrupted_write"] as? Bool == true)
        let finished = try GraphDump(servers)
        #expect(finished.communities == good.communities)
        finished.expectInternallyConsistent()
        #expect(try servers.sql("SELECT count(*) FROM graphingest.settings WHERE name = 'communities_writing'").first?.first == "0")
    }

    @Test func aProcessKilledBetweenTheCommunitiesGraphWriteAndTheRecordIsFinishedByTheRerun() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("commkill")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try CooccurrenceEndToEndIntegrationTests.write(Self.corpus, to: corpus)
        let servers = try ScratchServers.make("commkill")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let killed = try E2E.ingest(corpus.path, servers, extra: Self.options + ["--test-kill-after-community-write"])
        #expect(killed.status != 0, "the ingest was to be killed: \(killed.stderr)")
        #expect(try servers.sql("SELECT count(*) FROM graphingest.settings WHERE name = 'communities_writing'").first?.first == "1")
        let rerun = try E2E.ingest(corpus.path, servers, extra: Self.options)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(Self.communities(try E2E.summary(rerun))["repaired_interrupted_write"] as? Bool == true)
        Reindex.expectSame(try GraphDump(servers), try Reindex.freshIngest(corpus.path, label: "commkillfresh", extra: Self.options))
    }

    @Test func reportsWrittenFromTheExportedContextSurviveAReindexThatLeavesTheirMembersAndGoStaleWhenTheyChange() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("commreport")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try CooccurrenceEndToEndIntegrationTests.write(Self.corpus, to: corpus)
        let servers = try ScratchServers.make("commreport")
        defer { servers.drop() }
        try E2E.initialize(servers)
        _ = try Self.ingest(corpus, servers)
        let context = corpus.appendingPathExtension("context.jsonl")
        defer { try? FileManager.default.removeItem(at: context) }
        let export = try E2E.graphingest(["communities", "--export-context", context.path, "--token-budget", "500"], servers)
        #expect(export.status == 0, "\(export.stderr)")
        let lines = try String(contentsOf: context, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
        }
        #expect(lines.count == Int(try servers.sql("SELECT count(*) FROM graphingest.communities").first?.first ?? ""))
        // A finest community of Tokyo's triangle, and one of the Seine's, as a model would answer.
        func line(with name: String) -> [String: Any]? {
            lines.first { ($0["level"] as? Int) == 0 && (($0["members"] as? [[String: Any]]) ?? []).contains { $0["name"] as? String == name } }
        }
        let tokyo = try #require(line(with: "Tokyo")), seine = try #require(line(with: "Seine"))
        #expect(!(tokyo["relations"] as? [Any] ?? []).isEmpty && !(tokyo["passages"] as? [Any] ?? []).isEmpty, "\(tokyo)")
        let reports = corpus.appendingPathExtension("reports.jsonl")
        defer { try? FileManager.default.removeItem(at: reports) }
        func reportLine(_ community: [String: Any], _ title: String, hash: String? = nil) throws -> String {
            let object: [String: Any] = ["community": community["community"] ?? "", "members_sha256": hash ?? community["members_sha256"] ?? "",
                                         "title": title, "summary": "A report on \(title).", "rank": 7.5, "embedding": [0.1, 0.2, 0.3]]
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        try ([try reportLine(tokyo, "East Asian capitals"), try reportLine(seine, "Rivers", hash: "not-its-members"), "not json"]
             .joined(separator: "\n") + "\n").write(to: reports, atomically: true, encoding: .utf8)
        let load = try E2E.graphingest(["communities", "--load-reports", reports.path], servers)
        #expect(load.status == 1, "two lines refused: \(load.stderr)")
        #expect(load.stderr.contains("reports.jsonl:2:") && load.stderr.contains("reports.jsonl:3:"), "\(load.stderr)")
        func graphReport(_ id: Any?) throws -> [String: Any]? {
            try servers.cypherWithPythonDriver("MATCH (c:__Community__ {id: '\(id ?? "")'}) RETURN c.title AS title, c.summary AS summary, c.rank AS rank, c.embedding AS embedding").first
        }
        #expect(try graphReport(tokyo["community"])?["title"] as? String == "East Asian capitals")
        #expect(try graphReport(tokyo["community"])?["embedding"] as? [Double] == [0.1, 0.2, 0.3])
        var status = try E2E.graphingest(["status", "--json"], servers).lastJSONObject?["communities"] as? [String: Any] ?? [:]
        #expect(status["current"] as? Int == 1 && status["stale"] as? Int == 0, "\(status)")

        // A reindex that leaves Tokyo's triangle alone keeps its report, in the graph and the
        // registry, and the graph still equals the registry's record.
        try CooccurrenceEndToEndIntegrationTests.write(["cairo.txt": "Vienna and UNESCO. Again Vienna and UNESCO."], to: corpus)
        #expect(try Reindex.reindex(corpus.path, servers, extra: Self.options).status == 0)
        #expect(try graphReport(tokyo["community"])?["summary"] as? String == "A report on East Asian capitals.")
        try GraphDump(servers).expectInternallyConsistent()
        // One that changes its members makes the report stale, and the export of stale ones has
        // the community that took its place.
        var moved = Self.triangles
        moved[1].append("Rome")
        moved[4].removeFirst()
        try FileManager.default.removeItem(at: corpus)
        try CooccurrenceEndToEndIntegrationTests.write(Self.ring(moved), to: corpus)
        #expect(try Reindex.reindex(corpus.path, servers, extra: Self.options).status == 0)
        status = try E2E.graphingest(["status", "--json"], servers).lastJSONObject?["communities"] as? [String: Any] ?? [:]
        #expect(status["current"] as? Int == 0 && status["stale"] as? Int == 1, "\(status)")
        let staleExport = try E2E.graphingest(["communities", "--export-context", context.path, "--stale", "--json"], servers)
        #expect(staleExport.status == 0, "\(staleExport.stderr)")
        let staleLines = try String(contentsOf: context, encoding: .utf8).split(separator: "\n")
        #expect(staleLines.contains { $0.contains("\"Tokyo\"") && $0.contains("\"Rome\"") })
    }

    @Test func anIndependentLeidenAgreesOnQualityAndTheHierarchyIsConsistent() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("commigraph")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try CooccurrenceEndToEndIntegrationTests.write(Self.corpus, to: corpus)
        let servers = try ScratchServers.make("commigraph")
        defer { servers.drop() }
        try E2E.initialize(servers)
        _ = try Self.ingest(corpus, servers, extra: ["--max-community-size", "100"])
        // python-igraph over the graph as the official driver reads it: its own Leiden's
        // modularity, and the modularity of our top level, on the same weighted graph.
        let script = """
            import json, os, sys, igraph
            from neo4j import GraphDatabase
            with GraphDatabase.driver(os.environ["GRAPHINGEST_BOLT_URI"], auth=(os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"])) as driver:
                edges, _, _ = driver.execute_query("MATCH (a:Entity)-[r:CO_OCCURS_WITH]->(b:Entity) RETURN a.key AS a, b.key AS b, r.count AS w", database_=sys.argv[1])
                members, _, _ = driver.execute_query(
                    "MATCH (e:Entity)-[:IN_COMMUNITY]->(c:__Community__) RETURN e.key AS key, c.id AS c", database_=sys.argv[1])
                links, _, _ = driver.execute_query(
                    "MATCH (c:__Community__)-[:IN_COMMUNITY]->(p:__Community__) RETURN c.id AS c, p.id AS p", database_=sys.argv[1])
            parent = {r["c"]: r["p"] for r in links}
            def top_of(c):
                while c in parent: c = parent[c]
                return c
            names = sorted({e["a"] for e in edges} | {e["b"] for e in edges})
            index = {n: i for i, n in enumerate(names)}
            g = igraph.Graph(n=len(names), edges=[(index[e["a"]], index[e["b"]]) for e in edges])
            weights = [e["w"] for e in edges]
            best = max(g.community_leiden(objective_function="modularity", weights=weights, n_iterations=-1).modularity
                       for _ in range(5))
            tops = {r["key"]: top_of(r["c"]) for r in members}
            labels = sorted(set(tops.values()))
            ours = g.modularity([labels.index(tops[n]) for n in names], weights=weights)
            print(json.dumps({"best": best, "ours": ours, "covered": len(tops) == len(names)}))
            """
        let output = try Shell.run(IntegrationEnvironment.python, ["-c", script, servers.name])
        let result = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        let best = result["best"] as? Double ?? 1, ours = result["ours"] as? Double ?? 0
        #expect(result["covered"] as? Bool == true, "\(output.stdout)\(output.stderr)")
        #expect(ours >= 0.97 * best, "ours \(ours), python-igraph's Leiden \(best)")
        // Every member of a parent is in exactly one of its children, level by level.
        let dump = try GraphDump(servers)
        dump.expectInternallyConsistent()
        for (name, parentAndProperties) in dump.communities {
            let parent = String(parentAndProperties.split(separator: "|").first ?? "").trimmingCharacters(in: .whitespaces)
            guard parent != "(top)", let members = name.split(separator: ":", maxSplits: 1).last,
                  let parentMembers = parent.split(separator: ":", maxSplits: 1).last else { continue }
            let mine = Set(members.trimmingCharacters(in: .whitespaces).split(separator: ","))
            #expect(mine.isSubset(of: Set(parentMembers.trimmingCharacters(in: .whitespaces).split(separator: ","))), "\(name) in \(parent)")
        }
    }
}
