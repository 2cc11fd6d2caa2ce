import Foundation

/// Applies `RegistryMigration`s to a schema: in one transaction, under a transaction-scoped
/// advisory lock, so that two processes never migrate at once and a second run does nothing.
public struct RegistryMigrator: Sendable {
    /// The schema to migrate.
    public var schema: RegistrySchema
    /// The migrations, in version order.
    public var migrations: [RegistryMigration]

    /// Makes a migrator for `schema` with the registry's own migrations.
    public init(schema: RegistrySchema = .standard, migrations: [RegistryMigration] = RegistryMigration.all) {
        self.schema = schema
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies the missing migrations on `connection` and returns the versions applied (empty
    /// when the schema was up to date).
    ///
    /// - Throws: `RegistryError`; `migrationFailed` when the database has a version this program
    ///   does not know (a newer GraphIngest migrated it).
    package func migrate(on connection: PostgresConnection) async throws -> [Int] {
        let schema = self.schema
        let migrations = self.migrations
        return try await connection.run("migrate") { connection in
            try connection.withTransaction("migrate") { connection in
                // The lock key is derived from the schema name, so tests on other schemas do not
                // wait for each other; it is released at COMMIT or ROLLBACK.
                try connection.execute(
                    "SELECT pg_advisory_xact_lock(hashtext($1))", ["graphingest.migrate." + schema.name], operation: "migrate")
                try connection.execute(schema.sql("""
                    CREATE SCHEMA IF NOT EXISTS {schema};
                    CREATE TABLE IF NOT EXISTS {schema}.schema_migrations (
                        version    integer PRIMARY KEY,
                        name       text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """), operation: "migrate")
                let applied = Set(try connection.query(
                    schema.sql("SELECT version FROM {schema}.schema_migrations"), operation: "migrate"
                ) { try $0.decode(0, as: Int.self) })
                if let newest = applied.max(), newest > (migrations.last?.version ?? 0) {
                    throw RegistryError(
                        .migrationFailed, operation: "migrate",
                        message: "schema \(schema.name) is at version \(newest), newer than this GraphIngest knows (\(migrations.last?.version ?? 0))")
                }
                var done: [Int] = []
                for migration in migrations where !applied.contains(migration.version) {
                    try connection.execute(schema.sql(migration.sql), operation: "migrate")
                    try connection.execute(
                        schema.sql("INSERT INTO {schema}.schema_migrations (version, name) VALUES ($1, $2)"),
                        [migration.version, migration.name], operation: "migrate")
                    done.append(migration.version)
                }
                return done
            }
        }
    }
}
