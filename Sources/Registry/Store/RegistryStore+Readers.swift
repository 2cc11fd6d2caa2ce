extension RegistryStore {
    /// How many documents are in each status (every status present, zero when none).
    public func statusCounts() async throws -> [DocumentStatus: Int] {
        let query = sql("SELECT status, count(*) FROM {schema}.documents GROUP BY status")
        let rows = try await transaction("statusCounts", idempotent: true) { connection in
            try connection.query(query, operation: "statusCounts") {
                (try $0.decode(0, as: DocumentStatus.self), try $0.decode(1, as: Int.self))
            }
        }
        var counts = Dictionary(uniqueKeysWithValues: DocumentStatus.allCases.map { ($0, 0) })
        for (status, count) in rows { counts[status] = count }
        return counts
    }
}

extension DocumentRecord {
    /// Decodes `id, source, sha256, bytes, status, version, fingerprint`.
    init(row: PostgresRow) throws {
        self.init(
            id: try row.decode(0), source: try row.decode(1), sha256: try row.decode(2), bytes: try row.decode(3),
            status: try row.decode(4), version: try row.decode(5), fingerprint: try row.decode(6))
    }
}
