import Foundation

extension RegistryStore {
    /// Claims up to `limit` documents from the work queue: pending ones, and indexing ones whose
    /// lease has expired. Each is set to `indexing` with a lease of `lease` from now.
    ///
    /// Uses `FOR UPDATE SKIP LOCKED`, so processes claiming at the same time (on this machine or
    /// others) never get the same document. Not retried after a lost connection: the claim may
    /// have committed, and its documents come back when the lease expires.
    public func claimPending(limit: Int, lease: Duration, holder: String? = nil) async throws -> [ClaimedDocument] {
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let claim = sql("""
            WITH expired AS (
                SELECT id FROM {schema}.documents
                WHERE status = 'indexing' AND NOT {schema}.lease_is_live(lease_holder, lease_until)
                ORDER BY lease_until
                LIMIT $1
                FOR UPDATE SKIP LOCKED
            ), pending AS (
                -- A constant LIMIT keeps the plan on the pending index; rows locked here but not
                -- taken below are released at commit, still pending.
                SELECT id FROM {schema}.documents
                WHERE status = 'pending'
                ORDER BY id
                LIMIT $1
                FOR UPDATE SKIP LOCKED
            ), next AS (
                SELECT id FROM (SELECT id FROM expired UNION ALL SELECT id FROM pending) AS candidates LIMIT $1
            )
            UPDATE {schema}.documents d
            SET status = 'indexing', lease_until = clock_timestamp() + make_interval(secs => $2), lease_holder = $3, updated_at = now()
            FROM next WHERE d.id = next.id
            RETURNING d.id, d.source, d.sha256, d.version, d.fingerprint, d.lease_until
            """)
        return try await transaction("claimPending", idempotent: false) { connection in
            try connection.query(claim, [limit, seconds, holder], operation: "claimPending") { row in
                ClaimedDocument(
                    id: try row.decode(0), source: try row.decode(1), sha256: try row.decode(2),
                    version: try row.decode(3), fingerprint: try row.decode(4), leaseUntil: try row.decode(5))
            }
        }.sorted { $0.id < $1.id }
    }

    /// Extends the lease of documents this worker still holds (status `indexing`, and held by
    /// `holder` when one is given). Safe to repeat.
    ///
    /// - Returns: how many leases were extended.
    @discardableResult
    public func renewLeases(_ documentIDs: [Int64], lease: Duration, holder: String? = nil) async throws -> Int {
        let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
        let update = sql("""
            UPDATE {schema}.documents SET lease_until = clock_timestamp() + make_interval(secs => $2), updated_at = now()
            WHERE id = ANY($1::bigint[]) AND status = 'indexing' AND ($3::text IS NULL OR lease_holder = $3)
            """)
        return try await transaction("renewLeases", idempotent: true) { connection in
            try connection.execute(update, [documentIDs, seconds, holder], operation: "renewLeases")
        }
    }

    /// Puts documents back in the queue (`pending`), for example those marked failed, so that the
    /// next claim takes them again. Safe to repeat.
    @discardableResult
    public func requeue(_ documentIDs: [Int64]) async throws -> Int {
        let update = sql("""
            UPDATE {schema}.documents SET status = 'pending', lease_until = NULL, lease_holder = NULL, updated_at = now()
            WHERE id = ANY($1::bigint[]) AND status <> 'deleted'
            """)
        return try await transaction("requeue", idempotent: true) { connection in
            try connection.execute(update, [documentIDs], operation: "requeue")
        }
    }
}
