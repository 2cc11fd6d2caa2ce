import Foundation
import IntegrationSupport
import Testing
@testable import Registry

@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct RegistryMigrationIntegrationTests {
    private static func tables(in schema: RegistrySchema) async throws -> [String] {
        let connection = try await RegistryTestDatabase.connection()
        let names = try await connection.run("test") { connection in
            try connection.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name", [schema.name]
            ) { try $0.decode(0, as: String.self) }
        }
        await connection.close()
        return names
    }

    @Test func migratesFromEmptyThenDoesNothing() async throws {
        let settings = try RegistryTestDatabase.settings()
        let schema = try RegistryTestDatabase.freshSchema()
        let store = RegistryStore(settings: settings, schema: schema)
        do {
            #expect(try await store.migrate() == RegistryMigration.all.map(\.version))
            #expect(try await Self.tables(in: schema) == [
                "communities", "community_marks", "community_members", "community_reports", "dead_letters", "document_chunk_mentions",
                "document_chunks", "document_mentions", "document_pairs", "documents", "entities", "pair_deltas", "pair_totals", "runs",
                "schema_migrations", "settings", "workers",
            ])
            #expect(try await store.migrate() == [])
            // A second store (another process) on an up-to-date schema changes nothing either.
            let again = RegistryStore(settings: settings, schema: schema)
            #expect(try await again.migrate() == [])
            await again.close()
        }
        await store.close()
        try await RegistryTestDatabase.dropSchema(schema)
    }

    @Test func concurrentMigrationsApplyEachVersionOnce() async throws {
        let settings = try RegistryTestDatabase.settings()
        let schema = try RegistryTestDatabase.freshSchema()
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for _ in 0..<6 {
                group.addTask {
                    let store = RegistryStore(settings: settings, schema: schema, maximumConnections: 1)
                    do {
                        let versions = try await store.migrate()
                        await store.close()
                        return versions
                    } catch {
                        await store.close()
                        throw error
                    }
                }
            }
            return try await group.reduce(into: [[Int]]()) { $0.append($1) }
        }
        #expect(applied.flatMap { $0 } == RegistryMigration.all.map(\.version))
        #expect(applied.filter(\.isEmpty).count == 5)
        let connection = try await RegistryTestDatabase.connection()
        let rows = try await connection.run("test") { connection in
            try connection.query(schema.sql("SELECT count(*) FROM {schema}.schema_migrations")) { try $0.decode(0, as: Int.self) }
        }
        #expect(rows == [RegistryMigration.all.count])
        await connection.close()
        try await RegistryTestDatabase.dropSchema(schema)
    }

    @Test func refusesASchemaNewerThanItKnows() async throws {
        try await RegistryTestDatabase.withStore { store in
            let connection = try await RegistryTestDatabase.connection()
            try await connection.execute(
                store.schema.sql("INSERT INTO {schema}.schema_migrations (version, name) VALUES (999, 'future')"))
            await connection.close()
            let error = await #expect(throws: RegistryError.self) { try await store.migrate() }
            #expect(error?.code == .migrationFailed)
        }
    }
}
