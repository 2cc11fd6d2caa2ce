import Bolt
import Foundation
import IntegrationSupport
import NIOCore
import PackStream
import Testing

/// The client against the real ArcadeDB from scripts/services. Each test uses its own label.
///
/// Serialized: with the whole test run opening connections at once, a freshly started ArcadeDB
/// closed new Bolt connections now and then ("connection is closed" on the first write), which
/// made these tests flaky on a loaded machine; one client at a time here keeps them about the
/// client.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized)
struct BoltClientIntegrationTests {
    static func client(password: String? = nil) throws -> (BoltClient, IntegrationEnvironment.BoltServer) {
        let server = try IntegrationEnvironment.boltServer()
        var configuration = try BoltConfiguration(uri: server.uri, auth: .basic(user: server.user, password: password ?? server.password))
        configuration.maximumRetryTime = .seconds(5)
        configuration.initialRetryDelay = .milliseconds(100)
        return (BoltClient(configuration: configuration), server)
    }

    static func label() -> String { "BoltTest" + String(UInt32.random(in: 0...UInt32.max), radix: 16) }

    @Test func connectsAndReturnsAValue() async throws {
        let (client, server) = try Self.client()
        let records = try await client.withSession(database: server.database) { session in
            try await session.run("RETURN 1 AS one, 'two' AS two").collect()
        }
        #expect(records.count == 1)
        #expect(records.first?["one"] == .integer(1))
        #expect(records.first?["two"] == .string("two"))
        await client.shutdown()
    }

    @Test func wrongPasswordIsAnAuthenticationError() async throws {
        let (client, server) = try Self.client(password: "definitely-wrong")
        await #expect {
            try await client.withSession(database: server.database) { session in
                _ = try await session.run("RETURN 1").collect()
            }
        } throws: { error in
            guard let error = error as? BoltError else { return false }
            return error.code == .authentication && error.description.contains(String(server.port))
        }
        await client.shutdown()
    }

    static let roundTripValues: [(String, PackStreamValue)] = [
        ("null", .null), ("true", true), ("false", false),
        ("tiny", 1), ("negative", -17), ("int16", 1000), ("int32", 100_000), ("int64", 10_000_000_000),
        ("float", 1.5), ("string", "Größe ✓"), ("empty", ""),
        ("long string", .string(String(repeating: "ab", count: 40_000))),
        ("list", [1, "two", 3.0, nil]), ("map", ["a": 1, "b": ["c": "d"]]),
        ("bytes", .bytes([0, 1, 2, 255])),
    ]

    @Test func parametersRoundTripThroughReturn() async throws {
        let (client, server) = try Self.client()
        try await client.withSession(database: server.database) { session in
            for (name, value) in Self.roundTripValues {
                let records = try await session.run("RETURN $p AS p", parameters: ["p": .value(value)]).collect()
                #expect(records.first?["p"] == value, "\(name)")
            }
        }
        await client.shutdown()
    }

    @Test func explicitTransactionCommitsAndRollbackLeavesNothing() async throws {
        let (client, server) = try Self.client()
        let label = Self.label()
        try await client.withSession(database: server.database) { session in
            let summary = try await session.executeWrite { tx in
                try await tx.execute("CREATE (n:\(label) {name: $name})", parameters: ["name": "kept"])
            }
            #expect(summary.counters.nodesCreated == 1)
            try? await session.withTransaction { tx in
                try await tx.execute("CREATE (n:\(label) {name: $name})", parameters: ["name": "dropped"])
                throw CancellationError()
            }
            let names = try await session.run("MATCH (n:\(label)) RETURN n.name AS name").collect().map { $0["name"] }
            #expect(names == [.string("kept")])
            try await session.run("MATCH (n:\(label)) DELETE n").consume()
        }
        await client.shutdown()
    }

    @Test func syntaxErrorThenTheSameConnectionRunsTheNextQuery() async throws {
        let (client, server) = try Self.client()
        try await client.withSession(database: server.database) { session in
            await #expect {
                _ = try await session.run("MATC (n) RETURN n").collect()
            } throws: { error in
                (error as? BoltError)?.serverCode == "Neo.ClientError.Statement.SyntaxError"
            }
            let records = try await session.run("RETURN 42 AS answer").collect()
            #expect(records.first?["answer"] == 42)
            // And inside a transaction: the failure surfaces, the next transaction works.
            await #expect(throws: BoltError.self) {
                try await session.withTransaction { tx in try await tx.execute("MATC (n) RETURN n") }
            }
            let again = try await session.withTransaction { tx in try await tx.run("RETURN 7 AS seven").collect() }
            #expect(again.first?["seven"] == 7)
        }
        await client.shutdown()
    }

    struct Row: PackStreamEncodable {
        var id: Int64
        var name: String
        func encode(to writer: inout PackStreamWriter) {
            writer.writeMapHeader(count: 2)
            writer.writeKey("id")
            writer.writeInteger(id)
            writer.writeKey("name")
            writer.writeString(name)
        }
    }

    /// ArcadeDB 26.10 drops messages over 16 MiB without an answer (the official driver hangs
    /// the same way), and on a loaded machine it closed the connection now and then while
    /// receiving 15 MB, so this sends 8 MB: about 120 full chunks. The 20 MB case runs against the
    /// scripted peer (BoltScriptedPeerTests), every byte checked.
    @Test func largeParameterListCrossesChunksIntact() async throws {
        let (client, server) = try Self.client()
        let rows = (0..<800).map { Row(id: Int64($0), name: "row-\($0)-" + String(repeating: "x", count: 10_000)) }
        let records = try await client.withSession(database: server.database) { session in
            try await session.run(
                "UNWIND $rows AS row WITH row RETURN count(row) AS rows, sum(row.id) AS ids, sum(size(row.name)) AS chars",
                parameters: ["rows": .rows(rows)]
            ).collect()
        }
        #expect(records.first?["rows"] == .integer(800))
        #expect(records.first?["ids"] == .integer(Int64(799 * 800 / 2)))
        let chars = rows.reduce(0) { $0 + $1.name.count }
        #expect(records.first?["chars"] == .integer(Int64(chars)))
        await client.shutdown()
    }

    @Test func eightSessionsAtOnce() async throws {
        let (client, server) = try Self.client()
        let label = Self.label()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    try await client.withSession(database: server.database) { session in
                        for item in 0..<5 {
                            try await session.executeWrite { tx in
                                try await tx.execute("CREATE (:\(label) {worker: $w, item: $i})", parameters: ["w": .value(.integer(Int64(worker))), "i": .value(.integer(Int64(item)))])
                            }
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        try await client.withSession(database: server.database) { session in
            let count = try await session.run("MATCH (n:\(label)) RETURN count(n) AS c").collect()
            #expect(count.first?["c"] == 40)
            try await session.run("MATCH (n:\(label)) DELETE n").consume()
        }
        await client.shutdown()
    }

    @Test func fetchSizeStreamsInBatches() async throws {
        let server = try IntegrationEnvironment.boltServer()
        var configuration = try BoltConfiguration(uri: server.uri, auth: .basic(user: server.user, password: server.password))
        configuration.fetchSize = 7
        let client = BoltClient(configuration: configuration)
        let (sum, summary) = try await client.withSession(database: server.database) { session in
            let result = try await session.run("UNWIND range(1, 100) AS x RETURN x")
            var sum: Int64 = 0
            for try await record in result { sum += record["x"]?.intValue ?? 0 }
            return (sum, try await result.consume())
        }
        #expect(sum == 5050)
        #expect(summary.recordCount == 100)
        await client.shutdown()
    }

    @Test func pythonDriverReadsBackWhatWeWrote() async throws {
        // The official driver from the checkout's .venv (scripts/bootstrap), or GRAPHINGEST_PYTHON.
        let candidates = [
            ProcessInfo.processInfo.environment["GRAPHINGEST_PYTHON"],
            IntegrationEnvironment.fixturesDirectory.deletingLastPathComponent().appendingPathComponent(".venv/bin/python").path,
        ].compactMap { $0 }
        let python = try #require(
            candidates.first(where: FileManager.default.isExecutableFile(atPath:)).map(URL.init(fileURLWithPath:)),
            "no Python with the neo4j driver: run scripts/bootstrap or set GRAPHINGEST_PYTHON")
        let (client, server) = try Self.client()
        let label = Self.label()
        try await client.withSession(database: server.database) { session in
            try await session.executeWrite { tx in
                try await tx.execute(
                    "UNWIND $rows AS row CREATE (:\(label) {id: row.id, name: row.name})",
                    parameters: ["rows": .rows([Row(id: 1, name: "Größe"), Row(id: 2, name: "naïve ✓")])])
            }
        }
        do {
            let script = """
            import json, os, neo4j
            d = neo4j.GraphDatabase.driver(os.environ["GRAPHINGEST_BOLT_URI"], auth=(os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"]))
            with d.session(database=os.environ.get("GRAPHINGEST_DATABASE") or None) as s:
                rows = s.run("MATCH (n:\(label)) RETURN n.id AS id, n.name AS name ORDER BY id").data()
            print(json.dumps(rows, ensure_ascii=False))
            d.close()
            """
            let process = Process()
            process.executableURL = python
            process.arguments = ["-c", script]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            let rows = try JSONSerialization.jsonObject(with: data) as? [[String: Any]]
            #expect(rows?.count == 2)
            #expect(rows?.first?["name"] as? String == "Größe")
            #expect(rows?.last?["name"] as? String == "naïve ✓")
        }
        try await client.withSession(database: server.database) { session in
            try await session.run("MATCH (n:\(label)) DELETE n").consume()
        }
        await client.shutdown()
    }
}
