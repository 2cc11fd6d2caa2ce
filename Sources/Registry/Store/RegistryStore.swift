import CoreMetrics
import Foundation
import Synchronization

/// The registry the pipeline talks to: documents, entities, mention snapshots, runs, dead letters
/// and the work queue, in PostgreSQL.
///
/// Every operation is one transaction (large inputs are split into transactions of `batchSize`
/// rows where the operation says so) and runs on a pooled connection whose libpq calls stay on
/// that connection's own thread. Operations that are safe to repeat are retried once on a fresh
/// session when the connection is lost; the others report `RegistryError.Code.connectionLost`.
public final class RegistryStore: Sendable {
    /// The schema the tables live in.
    public let schema: RegistrySchema
    /// The most rows one transaction of a bulk operation carries.
    public let batchSize: Int
    /// Whether operations that are safe to repeat are retried once after a lost connection.
    public let retriesLostConnections: Bool
    let pool: PostgresConnectionPool

    /// Makes a store; connections open on first use.
    ///
    /// - Parameters:
    ///   - settings: where PostgreSQL is.
    ///   - schema: the schema to use; `graphingest` unless a test wants its own.
    ///   - maximumConnections: how many connections may be open at once.
    ///   - batchSize: rows per transaction for the bulk operations.
    ///   - retriesLostConnections: retry idempotent operations once after a lost connection.
    public init(
        settings: RegistryConnectionSettings,
        schema: RegistrySchema = .standard,
        maximumConnections: Int = 4,
        batchSize: Int = 100_000,
        retriesLostConnections: Bool = true
    ) {
        self.schema = schema
        self.batchSize = max(1, batchSize)
        self.retriesLostConnections = retriesLostConnections
        self.pool = PostgresConnectionPool(settings: settings, maximumConnections: maximumConnections)
    }

    /// Runs `body` with a store, then closes its connections.
    public static func withStore<T: Sendable>(
        settings: RegistryConnectionSettings,
        schema: RegistrySchema = .standard,
        maximumConnections: Int = 4,
        _ body: (RegistryStore) async throws -> T
    ) async throws -> T {
        let store = RegistryStore(settings: settings, schema: schema, maximumConnections: maximumConnections)
        do {
            let value = try await body(store)
            await store.close()
            return value
        } catch {
            await store.close()
            throw error
        }
    }

    /// Closes the idle connections; later operations fail with `connectionClosed`.
    public func close() async {
        await pool.close()
    }

    /// Waits (blocking, at most `timeout`) until every connection thread of the process has
    /// ended. Call it last before the process exits, after every store was closed and released:
    /// libpq's OpenSSL cleans up at exit and must not race a connection thread still in libpq.
    /// - Returns: whether all threads ended in time.
    @discardableResult
    public static func waitForConnectionThreads(timeout: Duration = .seconds(2)) -> Bool {
        PostgresConnectionExecutor.waitForAllThreads(timeout: timeout)
    }

    /// Creates or upgrades the schema (`graphingest init`); idempotent, and safe to run from
    /// several processes at once.
    ///
    /// - Returns: the migration versions applied; empty when the schema was up to date.
    @discardableResult
    public func migrate() async throws -> [Int] {
        let migrator = RegistryMigrator(schema: schema)
        return try await pool.withConnection { try await migrator.migrate(on: $0) }
    }

    /// Transactions run again after a deadlock or serialization failure (`graphingest_retries_total{server="registry"}`).
    static let retries = Counter(label: "graphingest_retries_total", dimensions: [("server", "registry")])
    private static let transactionsRun = Atomic<Int>(0)

    /// Transactions this process has run in any registry (each one round trip or a few):
    /// what a run's summary reports per document.
    package static var transactionCount: Int { transactionsRun.load(ordering: .relaxed) }

    /// Runs `body` in one transaction on a pooled connection.
    ///
    /// - Parameters:
    ///   - operation: the name errors carry.
    ///   - idempotent: true when running `body` twice leaves the same state as once; then a lost
    ///     connection is retried once on a fresh session, and a deadlock (40P01) or
    ///     serialization failure (40001) up to four times.
    func transaction<T: Sendable>(
        _ operation: String,
        idempotent: Bool,
        _ body: @Sendable (isolated PostgresConnection) throws -> T
    ) async throws -> T {
        // A deadlock or serialization failure rolled the whole transaction back: an idempotent
        // one simply runs again (a few times, with a short growing pause).
        var attempt = 0
        while true {
            Self.transactionsRun.add(1, ordering: .relaxed)
            do {
                return try await transactionOnce(operation, idempotent: idempotent, body)
            } catch let error as RegistryError where idempotent && attempt < 4
                && (error.sqlState == "40P01" || error.sqlState == "40001") {
                attempt += 1
                Self.retries.increment()
                try await Task.sleep(for: .milliseconds(20 * attempt * attempt))
            }
        }
    }

    private func transactionOnce<T: Sendable>(
        _ operation: String,
        idempotent: Bool,
        _ body: @Sendable (isolated PostgresConnection) throws -> T
    ) async throws -> T {
        let retry = idempotent && retriesLostConnections
        return try await pool.withConnection { connection in
            do {
                return try await connection.run(operation) { try $0.withTransaction(operation, body) }
            } catch let lost as RegistryError where lost.code == .connectionLost && retry {
                do {
                    try await connection.reset(operation: operation)
                } catch {
                    // Still unreachable: report the loss, with why reconnecting failed.
                    var reported = lost
                    reported.underlying = error as? RegistryError
                    throw reported
                }
                return try await connection.run(operation) { try $0.withTransaction(operation, body) }
            }
        }
    }

    /// `sql` with `{schema}` replaced by this store's schema.
    func sql(_ text: String) -> String {
        schema.sql(text)
    }

    /// Splits `items` into slices of at most `batchSize`.
    func batches<Item>(_ items: [Item]) -> [ArraySlice<Item>] {
        stride(from: 0, to: items.count, by: batchSize).map { items[$0..<min($0 + batchSize, items.count)] }
    }
}

extension PostgresConnection {
    /// Creates a session-local temporary table once per session (`ON COMMIT DELETE ROWS`).
    ///
    /// A failed operation may roll the creation back, so `run` forgets the session's tables on
    /// any error, and `IF NOT EXISTS` makes creating them again harmless.
    func ensureTemporaryTable(_ name: String, columns: String, operation: String) throws {
        guard !sessionObjects.contains(name) else { return }
        try execute("CREATE TEMPORARY TABLE IF NOT EXISTS \(name) (\(columns)) ON COMMIT DELETE ROWS", operation: operation)
        sessionObjects.insert(name)
    }
}

extension RegistryStore {
    /// Drops a whole schema (`DROP SCHEMA ... CASCADE`): for the benchmark's throwaway schema.
    package static func dropSchemaForBenchmark(_ schema: RegistrySchema, settings: RegistryConnectionSettings) async throws {
        let connection = try await PostgresConnection.connect(settings)
        try await connection.execute("DROP SCHEMA IF EXISTS \(schema.quoted) CASCADE", operation: "dropSchema")
        await connection.close()
    }
}
