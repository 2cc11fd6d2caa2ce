import Foundation
import IntegrationSupport
@testable import Registry

/// A private schema per test on the PostgreSQL from scripts/services, dropped afterwards, so that
/// tests run in parallel without seeing each other's rows.
enum RegistryTestDatabase {
    static func settings() throws -> RegistryConnectionSettings {
        try IntegrationEnvironment.requirePostgres()
        return RegistryConnectionSettings.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
    }

    static func freshSchema() throws -> RegistrySchema {
        try RegistrySchema("graphingest_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16))
    }

    /// Runs `body` with a migrated store on a fresh schema, then drops the schema.
    static func withStore<T: Sendable>(
        maximumConnections: Int = 4,
        batchSize: Int = 100_000,
        retriesLostConnections: Bool = true,
        _ body: (RegistryStore) async throws -> T
    ) async throws -> T {
        let schema = try freshSchema()
        // Sessions carry the schema as application name, so a test can find its own backends.
        var settings = try settings()
        if settings.conninfo.isEmpty || !settings.conninfo.contains("://") {
            settings.conninfo += " application_name=\(schema.name)"
        }
        let store = RegistryStore(
            settings: settings, schema: schema, maximumConnections: maximumConnections, batchSize: batchSize,
            retriesLostConnections: retriesLostConnections)
        do {
            try await store.migrate()
            let value = try await body(store)
            await store.close()
            try await dropSchema(schema)
            return value
        } catch {
            await store.close()
            try? await dropSchema(schema)
            throw error
        }
    }

    /// A plain connection for tests that poke at the database directly.
    static func connection() async throws -> PostgresConnection {
        try await PostgresConnection.connect(try settings())
    }

    static func dropSchema(_ schema: RegistrySchema) async throws {
        let connection = try await connection()
        try await connection.execute("DROP SCHEMA IF EXISTS \(schema.quoted) CASCADE")
        await connection.close()
    }
}
