import BoltTestSupport
import GraphStore
import PackStream
import Testing

/// `GraphDatabase` over a routing table (`neo4j://`) replayed by scripted Bolt peers, with a
/// reader that refuses connections (a port bound and closed again).
@Suite struct GraphDatabaseRoutingTests {
    /// A server that answers `CREATE ... RETURN 1 AS one` (or any statement) with one record.
    static func server(agent: String = "Scripted/1.0") async throws -> ScriptedBoltPeer {
        try await ScriptedBoltPeer(agent: agent) { request in
            switch request.name {
            case "RUN": return [.success(["fields": ["one"]])]
            case "PULL": return [.record([1]), .success(["has_more": false, "stats": ["nodes-created": 1]])]
            case "COMMIT": return [.success(["bookmark": "bm"])]
            default: return [.success([:])]
            }
        }
    }

    static func router(writers: [String], readers: [String]) async throws -> ScriptedBoltPeer {
        try await ScriptedBoltPeer(agent: "Neo4j/5.26.0") { request in
            guard request.name == "ROUTE" else { return [.success([:])] }
            return [ScriptedBoltPeer.routingTable(routers: [], writers: writers, readers: readers)]
        }
    }

    static func open(_ router: ScriptedBoltPeer) throws -> GraphDatabase {
        try GraphDatabase(settings: GraphDatabaseSettings(uri: "neo4j://\(router.address)", database: "graph"), userAgent: "graphingest-test")
    }

    /// The case: `query 'CREATE ...'` checks connectivity, and `init` asks the dialect,
    /// while the cluster's only reader is down; both need only the writer.
    @Test func writeSucceedsWhenTheOnlyReaderRefusesAndTheDialectIsTheWritersAgent() async throws {
        let refused = try await ScriptedBoltPeer.refusingAddress()
        let writer = try await Self.server(agent: "Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)")
        let router = try await Self.router(writers: [writer.address], readers: [refused])
        let database = try Self.open(router)
        try await database.verifyConnectivity()
        let (dialect, detected) = try await database.dialect()
        let result = try await database.query("CREATE (n:Probe) RETURN 1 AS one")
        await database.close()
        // ArcadeDB is what the writer's HELLO named; the router named plain Neo4j.
        #expect(dialect == .arcadedb && detected)
        #expect(result.rows == [[.integer(1)]] && result.counters.nodesCreated == 1)
        // The dialect took no transaction of its own, and the write reused its connection.
        #expect(writer.requestNames.filter { $0 == "BEGIN" }.count == 1)
        #expect(writer.requestNames.filter { $0 == "HELLO" }.count == 1)
        for peer in [router, writer] { await peer.stop() }
    }

    @Test func readSucceedsOnTheLiveReaderWhenTheOtherRefuses() async throws {
        let refused = try await ScriptedBoltPeer.refusingAddress()
        let reader = try await Self.server()
        let router = try await Self.router(writers: [], readers: [refused, reader.address])
        let database = try Self.open(router)
        // Two reads: readers are taken in turn, so one of them meets the refused reader first.
        for _ in 0..<2 {
            let result = try await database.query("MATCH (n) RETURN 1 AS one", read: true)
            #expect(result.rows == [[.integer(1)]])
        }
        await database.close()
        #expect(reader.requestNames.filter { $0 == "BEGIN" }.count == 2)
        #expect(router.requestNames.filter { $0 == "ROUTE" }.count == 1)
        for peer in [router, reader] { await peer.stop() }
    }
}
