@testable import Bolt
import BoltTestSupport
import PackStream
import Synchronization
import Testing

/// A routed (`neo4j://`) client meeting servers of its routing table that refuse connections:
/// the server leaves the table and the next one of its role is tried, and once none is left the
/// table is fetched again from a router, as Neo4j's drivers do
/// (https://neo4j.com/docs/bolt/current/driver-api/#_routing). A refused server is a port that
/// was bound and closed again.
@Suite struct BoltRoutingFailoverTests {
    /// Answers a transaction (BEGIN, RUN, PULL, COMMIT) with no records.
    static let transactionScript: ScriptedBoltPeer.Script = { request in
        switch request.name {
        case "RUN": return [.success(["fields": []])]
        case "PULL": return [.success(["has_more": false])]
        case "COMMIT": return [.success(["bookmark": "bm"])]
        default: return [.success([:])]
        }
    }

    /// A router whose n-th ROUTE (from 1) is answered with `table(n)`.
    static func router(_ table: @escaping @Sendable (Int) -> ScriptedBoltPeer.Reply) async throws -> ScriptedBoltPeer {
        let routes = Mutex(0)
        return try await ScriptedBoltPeer(agent: "Neo4j/5.26.0 (router)") { request in
            guard request.name == "ROUTE" else { return [.success([:])] }
            return [table(routes.withLock { count in
                count += 1
                return count
            })]
        }
    }

    static func count(_ name: String, _ peer: ScriptedBoltPeer) -> Int {
        peer.requestNames.filter { $0 == name }.count
    }

    @Test func writeAndConnectivityCheckNeedNoReaderWhenTheOnlyReaderRefuses() async throws {
        let refused = try await ScriptedBoltPeer.refusingAddress()
        let writer = try await ScriptedBoltPeer(agent: "Memgraph/2.19.0", script: Self.transactionScript)
        let router = try await Self.router { _ in
            ScriptedBoltPeer.routingTable(routers: [], writers: [writer.address], readers: [refused])
        }
        let client = try BoltScriptedPeerTests.client("neo4j://\(router.address)")
        // The check asks a router for the table (reaching a server and logging in), as the
        // drivers' verifyConnectivity does; it opens no connection to a reader.
        try await client.verifyConnectivity()
        let agent = try await client.withSession(database: "graph") { session in
            let agent = try await session.serverAgent()
            try await session.executeWrite { tx in try await tx.execute("CREATE (n)") }
            return agent
        }
        // The agent is the one the writer's HELLO named: the connection the write used.
        #expect(agent == "Memgraph/2.19.0")
        #expect(Self.count("COMMIT", writer) == 1)
        #expect(Self.count("HELLO", writer) == 1)
        // One table for the check (the home database), one for "graph".
        #expect(Self.count("ROUTE", router) == 2)
        await client.shutdown()
        for peer in [router, writer] { await peer.stop() }
    }

    @Test func refusingReaderLeavesTheTableAndTheReadGoesToTheNext() async throws {
        let refused = try await ScriptedBoltPeer.refusingAddress()
        let reader = try await ScriptedBoltPeer(script: Self.transactionScript)
        let router = try await Self.router { _ in
            ScriptedBoltPeer.routingTable(routers: [], writers: [], readers: [refused, reader.address])
        }
        let client = try BoltScriptedPeerTests.client("neo4j://\(router.address)")
        // Readers are taken in turn, so of two reads in two sessions one meets the refused
        // reader while it is still in the table, whichever comes first.
        for _ in 0..<2 {
            try await client.withSession(database: "graph", accessMode: .read) { session in
                try await session.executeRead { tx in try await tx.execute("MATCH (n) RETURN n") }
            }
        }
        #expect(Self.count("COMMIT", reader) == 2)
        let table = try #require(await client.router?.table(database: "graph"))
        #expect(table.readers.map(\.description) == [reader.address])
        // A server dropped while others of its role are left needs no new table.
        #expect(Self.count("ROUTE", router) == 1)
        await client.shutdown()
        for peer in [router, reader] { await peer.stop() }
    }

    @Test func noReaderLeftFetchesTheTableAgainFromARouter() async throws {
        let refused = try await ScriptedBoltPeer.refusingAddress()
        let reader = try await ScriptedBoltPeer(script: Self.transactionScript)
        let router = try await Self.router { count in
            ScriptedBoltPeer.routingTable(routers: [], writers: [], readers: [count == 1 ? refused : reader.address])
        }
        let client = try BoltScriptedPeerTests.client("neo4j://\(router.address)")
        // No retry: the one acquisition drops the refused reader, fetches the table again and
        // finds the reader the router names now.
        try await client.withSession(database: "graph", accessMode: .read) { session in
            try await session.withTransaction { tx in try await tx.execute("MATCH (n) RETURN n") }
        }
        #expect(Self.count("COMMIT", reader) == 1)
        #expect(Self.count("ROUTE", router) == 2)
        await client.shutdown()
        for peer in [router, reader] { await peer.stop() }
    }

    @Test func aRefusingReaderTheRouterNamesAgainFailsTheAcquisitionOnce() async throws {
        let refused = try await ScriptedBoltPeer.refusingAddress()
        let router = try await Self.router { _ in
            ScriptedBoltPeer.routingTable(routers: [], writers: [], readers: [refused])
        }
        let client = try BoltScriptedPeerTests.client("neo4j://\(router.address)")
        // Without retry: one new table is fetched, the server it names again is not tried twice,
        // and the failure is the retryable one a managed transaction would try again.
        await #expect {
            try await client.withSession(database: "graph", accessMode: .read) { session in
                try await session.withTransaction { tx in try await tx.execute("MATCH (n) RETURN n") }
            }
        } throws: { error in
            guard let error = error as? BoltError else { return false }
            return error.code == .connectionClosed && error.isRetryable && error.address == refused
        }
        #expect(Self.count("ROUTE", router) == 2)
        await client.shutdown()
        await router.stop()
    }
}
