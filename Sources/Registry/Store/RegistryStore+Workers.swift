import Foundation

extension RegistryStore {
    /// Records a worker (a process of `ingest` or `reindex`) as running, unless another running
    /// worker works with another extractor fingerprint: then nothing is recorded and those
    /// workers are returned, so that the caller can refuse to mix two extractions in one graph.
    ///
    /// A worker is running while it has not finished and was seen within its lease. Workers
    /// start one at a time (a transaction-scoped advisory lock), so two that differ cannot both
    /// pass. Safe to repeat.
    ///
    /// - Returns: the running workers whose fingerprint differs (empty when the worker was recorded).
    public func startWorker(_ worker: WorkerRegistration) async throws -> [WorkerRecord] {
        let lock = sql("SELECT pg_advisory_xact_lock(hashtext('{schema}.workers'))")
        let others = sql("""
            SELECT \(WorkerRecord.columns) FROM {schema}.workers
            WHERE finished_at IS NULL AND id <> $1 AND fingerprint IS DISTINCT FROM $2
              AND seen_at + make_interval(secs => lease_seconds) > clock_timestamp()
            ORDER BY started_at
            """)
        let insert = sql("""
            INSERT INTO {schema}.workers (id, host, pid, command, fingerprint, fingerprint_parts, lease_seconds, liveness_lock)
            VALUES ($1, $7, $3, $4, $2, $5::jsonb, $6, $8)
            ON CONFLICT (id) DO UPDATE SET seen_at = now(), finished_at = NULL, liveness_lock = $8
            """)
        let parts = RegistryJSON.object(worker.fingerprintParts.mapValues { .string($0) })
        return try await transaction("startWorker", idempotent: true) { connection in
            try connection.execute(lock, operation: "startWorker")
            let conflicting = try connection.query(others, [worker.id, worker.fingerprint], operation: "startWorker", decode: WorkerRecord.init)
            guard conflicting.isEmpty else { return conflicting }
            try connection.execute(insert, [worker.id, worker.fingerprint, Int64(worker.pid), worker.command, parts,
                                            worker.lease / .seconds(1), worker.host, worker.holdsLivenessLock], operation: "startWorker")
            return []
        }
    }

    /// Records that a worker is alive (with its lease renewals). Safe to repeat.
    public func heartbeat(workerID: String) async throws {
        let update = sql("UPDATE {schema}.workers SET seen_at = now() WHERE id = $1")
        _ = try await transaction("heartbeat", idempotent: true) { connection in
            try connection.execute(update, [workerID], operation: "heartbeat")
        }
    }

    /// Records that a worker stopped. Safe to repeat.
    public func finishWorker(workerID: String) async throws {
        let update = sql("UPDATE {schema}.workers SET finished_at = now(), seen_at = now() WHERE id = $1")
        _ = try await transaction("finishWorker", idempotent: true) { connection in
            try connection.execute(update, [workerID], operation: "finishWorker")
        }
    }

    /// The workers seen in the last `window`, most recently started first.
    public func recentWorkers(within window: Duration) async throws -> [WorkerRecord] {
        let query = sql("""
            SELECT \(WorkerRecord.columns) FROM {schema}.workers
            WHERE seen_at > clock_timestamp() - make_interval(secs => $1)
            ORDER BY started_at DESC
            """)
        return try await transaction("recentWorkers", idempotent: true) { connection in
            try connection.query(query, [window / .seconds(1)], operation: "recentWorkers", decode: WorkerRecord.init)
        }
    }
}

/// A worker as it starts: who it is and what it extracts with.
public struct WorkerRegistration: Sendable, Hashable {
    /// `host:pid:start`, unique across machines and restarts; documents name it as their holder.
    public var id: String
    public var host: String
    public var pid: Int32
    /// `ingest` or `reindex`.
    public var command: String
    /// The extractor fingerprint.
    public var fingerprint: String
    /// What the fingerprint is made of (gazetteer, rules, options), to name a difference.
    public var fingerprintParts: [String: String]
    /// The lease it claims with; it is taken for dead when not seen for that long.
    public var lease: Duration
    /// Whether it holds its liveness lock (``RegistryStore/withLivenessLock(workerID:_:)``):
    /// then it is dead, and its documents free, as soon as the lock is gone.
    public var holdsLivenessLock: Bool

    public init(id: String, host: String, pid: Int32, command: String, fingerprint: String,
                fingerprintParts: [String: String], lease: Duration, holdsLivenessLock: Bool = false) {
        self.holdsLivenessLock = holdsLivenessLock
        self.id = id
        self.host = host
        self.pid = pid
        self.command = command
        self.fingerprint = fingerprint
        self.fingerprintParts = fingerprintParts
        self.lease = lease
    }
}

/// A worker as the registry knows it.
public struct WorkerRecord: Sendable, Hashable {
    public var id: String
    public var host: String
    public var pid: Int32
    public var command: String
    public var fingerprint: String?
    public var fingerprintParts: [String: String]
    public var leaseSeconds: Double
    public var startedAt: Date
    public var seenAt: Date
    public var finishedAt: Date?

    static let columns = "id, host, pid, command, fingerprint, fingerprint_parts, lease_seconds, started_at, seen_at, finished_at"

    init(_ row: PostgresRow) throws {
        id = try row.decode(0)
        host = try row.decode(1)
        pid = Int32(try row.decode(2, as: Int64.self))
        command = try row.decode(3)
        fingerprint = try row.decode(4)
        if case .object(let parts) = try row.decode(5, as: RegistryJSON.self) {
            fingerprintParts = parts.compactMapValues { if case .string(let value) = $0 { value } else { nil } }
        } else {
            fingerprintParts = [:]
        }
        leaseSeconds = try row.decode(6)
        startedAt = try row.decode(7)
        seenAt = try row.decode(8)
        finishedAt = try row.decode(9)
    }
}
