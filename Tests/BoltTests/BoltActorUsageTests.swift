import Bolt
import PackStream
import Testing

/// The API must be usable from an actor whose closures touch its state (as GraphStore's will).
actor BoltActorUsage {
    let client: BoltClient
    var batches = 0

    init(client: BoltClient) { self.client = client }

    func write(rows: [PackStreamValue]) async throws -> Int {
        try await client.withSession(database: nil) { session in
            try await session.executeWrite { tx in
                try await tx.execute("UNWIND $rows AS row RETURN row", parameters: ["rows": .value(.list(rows))])
                batches += 1
            }
        }
        return batches
    }
}

@Suite struct BoltActorUsageTests {
    @Test func compilesAndFailsCleanlyWithoutAServer() async throws {
        let client = try BoltClient(uri: "bolt://127.0.0.1:1", auth: .none)
        let usage = BoltActorUsage(client: client)
        await #expect(throws: BoltError.self) { try await usage.write(rows: [1, 2]) }
        await client.shutdown()
    }
}
