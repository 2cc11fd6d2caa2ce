import Foundation

extension RegistryStore {
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
}
