import Foundation
import IntegrationSupport
import Testing
@testable import Registry

/// The server goes away in the middle of an operation: here its backend is terminated with
/// `pg_terminate_backend` (the shared server keeps running) while the operation waits on a lock
/// that another session holds, after part of its work was done.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct RegistryConnectionLossIntegrationTests {
    /// Sets up a document with a two-row snapshot, then replaces it while another session holds
    /// an exclusive lock on `entities`: the replacement's DELETE of stale rows runs, its check of
    /// the new rows against `entities` blocks, and its backend is terminated there.
    private func replaceWhileBackendIsKilled(
        retries: Bool
    ) async throws -> (outcome: Result<Void, RegistryError>, before: [MentionCount], after: [MentionCount], new: [MentionCount]) {
        try await RegistryTestDatabase.withStore(retriesLostConnections: retries) { store in
            let schema = store.schema
            let document = try await store.registerDocuments([DocumentRegistration(source: "kill/a")])["kill/a"]!
            let entities = try await store.registerEntities((1...3).map { EntityRegistration(key: "e\($0)", name: "E\($0)", type: "T") })
            let before = [MentionCount(entityID: entities["e1"]!, count: 1), MentionCount(entityID: entities["e2"]!, count: 2)]
            let new = [MentionCount(entityID: entities["e3"]!, count: 7)]
            try await store.replaceMentionSnapshots([document: before])

            let locker = try await RegistryTestDatabase.connection()
            let killer = try await RegistryTestDatabase.connection()
            try await locker.execute("BEGIN")
            try await locker.execute(schema.sql("LOCK TABLE {schema}.entities IN ACCESS EXCLUSIVE MODE"))

            async let replacement: Result<Void, RegistryError> = {
                do {
                    try await store.replaceMentionSnapshots([document: new])
                    return .success(())
                } catch let error as RegistryError {
                    return .failure(error)
                } catch {
                    return .failure(RegistryError(.unexpectedResult, operation: "test", message: "\(error)"))
                }
            }()

            // Wait for the replacement to block on the lock, then terminate its backend.
            let waiting = """
                SELECT pid FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND position($1 in query) > 0
                """
            var terminated = false
            for _ in 0..<200 where !terminated {
                let pids = try await killer.run("test") { connection in
                    try connection.query(waiting, [schema.quoted]) { try $0.decode(0, as: Int64.self) }
                }
                if let pid = pids.first {
                    let done = try await killer.run("test") { connection in
                        try connection.query("SELECT pg_terminate_backend($1, 10000)", [pid]) { try $0.decode(0, as: Bool.self) }
                    }
                    terminated = done == [true]
                } else {
                    try await Task.sleep(for: .milliseconds(25))
                }
            }
            #expect(terminated, "the replacement never blocked on the lock")
            try await locker.execute("ROLLBACK")
            let outcome = await replacement
            await locker.close()
            await killer.close()
            let after = try await store.mentionSnapshot(documentIDs: [document])[document] ?? []
            return (outcome, before.sorted { $0.entityID < $1.entityID }, after, new)
        }
    }

    @Test func aKilledConnectionGivesAClearErrorAndNoHalfWrittenState() async throws {
        let (outcome, before, after, _) = try await replaceWhileBackendIsKilled(retries: false)
        guard case .failure(let error) = outcome else {
            Issue.record("the operation succeeded although its backend was terminated")
            return
        }
        #expect(error.code == .connectionLost)
        #expect(error.isConnectionLoss)
        #expect(error.operation == "replaceMentionSnapshots")
        #expect(error.sqlState == "57P01")
        #expect(error.description.contains("terminating connection"))
        // The stale rows the operation had already deleted are back: the transaction never committed.
        #expect(after == before)
    }

    @Test func anIdempotentOperationIsRetriedOnceOnAFreshSession() async throws {
        let (outcome, _, after, new) = try await replaceWhileBackendIsKilled(retries: true)
        #expect((try? outcome.get()) != nil)
        #expect(after == new)
    }

    @Test func aConnectionThatDiedWhileIdleIsReplacedEvenForUnsafeOperations() async throws {
        try await RegistryTestDatabase.withStore(maximumConnections: 1, retriesLostConnections: false) { store in
            _ = try await store.registerDocuments([DocumentRegistration(source: "idle/a")])
            let killer = try await RegistryTestDatabase.connection()
            let idle = """
                SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity
                WHERE state = 'idle' AND pid <> pg_backend_pid() AND application_name = $1
                """
            let schemaName = store.schema.name
            let killed = try await killer.run("test") { connection in
                try connection.query(idle, [schemaName]) { try $0.decode(0, as: Bool.self) }
            }
            await killer.close()
            #expect(killed == [true])
            // startRun is not safe to repeat, but the dead session is found at BEGIN, before it
            // sent anything, so it is replaced.
            let run = try await store.startRun(command: "status", arguments: [])
            #expect(run > 0)
            #expect(try await store.lastRuns(1).map(\.id) == [run])
        }
    }

    @Test(.enabled(if: PrivatePostgresCluster.isAvailable, "needs PostgreSQL server binaries and a working /dev/null"))
    func theServerStoppedMidOperationGivesAClearErrorAndNoHalfWrittenState() async throws {
        try IntegrationEnvironment.requirePostgres()
        let cluster = try PrivatePostgresCluster.start()
        defer { cluster.destroy() }
        let schema = try RegistrySchema("graphingest_stop")
        let store = RegistryStore(settings: cluster.settings, schema: schema)
        try await store.migrate()
        let document = try await store.registerDocuments([DocumentRegistration(source: "stop/a")])["stop/a"]!
        let entities = try await store.registerEntities((1...3).map { EntityRegistration(key: "e\($0)", name: "E", type: "T") })
        let before = [MentionCount(entityID: entities["e1"]!, count: 1), MentionCount(entityID: entities["e2"]!, count: 2)]
        try await store.replaceMentionSnapshots([document: before])

        // Park the replacement on a lock after its DELETE ran, then stop the server under it.
        let locker = try await PostgresConnection.connect(cluster.settings)
        try await locker.execute("BEGIN")
        try await locker.execute(schema.sql("LOCK TABLE {schema}.entities IN ACCESS EXCLUSIVE MODE"))
        async let replacement: RegistryError? = {
            do {
                try await store.replaceMentionSnapshots([document: [MentionCount(entityID: entities["e3"]!, count: 9)]])
                return nil
            } catch let error as RegistryError {
                return error
            } catch {
                return RegistryError(.unexpectedResult, operation: "test", message: "\(error)")
            }
        }()
        let watcher = try await PostgresConnection.connect(cluster.settings)
        var blocked = false
        for _ in 0..<400 where !blocked {
            let rows = try await watcher.run("test") { connection in
                try connection.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'") { _ in 1 }
            }
            blocked = !rows.isEmpty
            if !blocked { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(blocked, "the replacement never blocked on the lock")
        // Immediate, not fast: a fast shutdown ends the sessions one by one, and the locker's end
        // released the lock before the replacement's, which then committed (seen on a loaded
        // machine). A crash ends them all at once.
        try cluster.stopServer(mode: "immediate")
        let error = await replacement
        await locker.close()
        await watcher.close()

        // The loss is reported as such, even after the one retry found the server still down.
        #expect(error?.code == .connectionLost)
        #expect(error?.operation == "replaceMentionSnapshots")
        #expect((error?.underlying as? RegistryError)?.code == .connectionFailed)
        #expect(error?.description.contains("replaceMentionSnapshots") == true)

        // Back up: the old snapshot is whole, the new one is nowhere.
        try cluster.startServer()
        let after = try await store.mentionSnapshot(documentIDs: [document])[document]
        #expect(after == before.sorted { $0.entityID < $1.entityID })
        await store.close()
    }
}
