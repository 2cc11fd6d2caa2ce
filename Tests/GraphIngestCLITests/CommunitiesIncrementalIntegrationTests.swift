import Foundation
import IntegrationSupport
import Testing

/// The community step describes again only what changed: after a reindex that touches one
/// member's chunks, only that member's communities get their weight, documents and passages
/// computed (from the registry's chunk mention snapshots, not the graph), the rest keep theirs,
/// and the result equals a fresh ingest; a change recorded by a run without the step is kept
/// (its marks) until a step consumes it.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled)) struct CommunitiesIncrementalIntegrationTests {
    typealias GraphDump = ReindexEndToEndIntegrationTests.GraphDump
    typealias E2E = IngestEndToEndIntegrationTests
    typealias Reindex = ReindexEndToEndIntegrationTests
    typealias Communities = CommunitiesEndToEndIntegrationTests

    static func figures(_ summary: [String: Any]) -> [String: Int] {
        ["nodes_written", "parents_written", "memberships_written", "nodes_deleted", "communities_described"]
            .reduce(into: [:]) { $0[$1] = summary[$1] as? Int ?? -1 }
    }

    @Test func aChangeToOneMembersChunksDescribesOnlyItsCommunitiesAndEqualsAFreshIngest() throws {
        let corpus = CooccurrenceEndToEndIntegrationTests.folder("commincr")
        defer { try? FileManager.default.removeItem(at: corpus) }
        var files = Communities.corpus
        try CooccurrenceEndToEndIntegrationTests.write(files, to: corpus)
        let servers = try ScratchServers.make("commincr")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let first = Communities.communities(try Communities.ingest(corpus, servers))
        let levels = (first["levels"] as? [[String: Any]])?.count ?? 0
        let total = (first["levels"] as? [[String: Any]])?.reduce(0) { $0 + ($1["communities"] as? Int ?? 0) } ?? 0
        #expect(levels >= 2 && first["communities_described"] as? Int == total, "\(first)")
        let before = try GraphDump(servers)

        // A new document that mentions Paris alone: no edge changes, so no member set does; the
        // communities holding Paris (one per level) gain a chunk and a document, nothing else moves.
        files["paris.txt"] = "Paris alone."
        try CooccurrenceEndToEndIntegrationTests.write(files, to: corpus)
        let reindex = try Reindex.reindex(corpus.path, servers, extra: Communities.options)
        #expect(reindex.status == 0, "\(reindex.stderr)")
        let step = Self.figures(Communities.communities(reindex.summary))
        #expect(step == ["nodes_written": levels, "parents_written": 0, "memberships_written": 0, "nodes_deleted": 0,
                         "communities_described": levels], "\(step)")
        let after = try GraphDump(servers)
        after.expectInternallyConsistent()
        #expect(after.communityIDs == before.communityIDs)
        let changed = before.communities.filter { after.communities[$0.key] != $0.value }.map(\.key)
        #expect(changed.count == levels && changed.allSatisfy { $0.contains("geo:2988507") }, "\(changed)")

        // Paris's triangle says the same with other words: its chunk's text changes, its entities
        // do not. Reindexed without the step, the change waits in the registry for the next one.
        files["group-0.txt"] = "Paris and Berlin and London. Once more, Paris and Berlin and London."
        try CooccurrenceEndToEndIntegrationTests.write(files, to: corpus)
        let quiet = try Reindex.reindex(corpus.path, servers, extra: Communities.options + ["--no-communities"])
        #expect(quiet.status == 0, "\(quiet.stderr)")
        #expect(try servers.sql("SELECT count(*) > 0 FROM graphingest.community_marks").first?.first == "t")
        let run = try E2E.graphingest(["communities", "--json"] + Communities.options, servers)
        #expect(run.status == 0, "\(run.stderr)")
        let described = Self.figures(run.lastJSONObject ?? [:])["communities_described"] ?? -1
        #expect(described >= 1 && described <= 3 * levels, "\(run.stdout)")
        #expect(try servers.sql("SELECT count(*) FROM graphingest.community_marks").first?.first == "0")
        Reindex.expectSame(try GraphDump(servers), try Reindex.freshIngest(corpus.path, label: "commincrfresh", extra: Communities.options))

        // Nothing changed since: nothing is described or written.
        let again = try E2E.graphingest(["communities", "--json"] + Communities.options, servers)
        #expect(Self.figures(again.lastJSONObject ?? [:]).values.allSatisfy { $0 == 0 }, "\(again.stdout)")
    }
}
