extension RegistryStore {
    /// The version last recorded for each of the given documents (0 for one never loaded);
    /// the next load writes the version plus one.
    public func documentVersions(ids: [Int64]) async throws -> [Int64: Int64] {
        let query = sql("SELECT id, version FROM {schema}.documents WHERE id = ANY($1::bigint[])")
        var versions: [Int64: Int64] = [:]
        for batch in batches(ids) {
            let list = Array(batch)
            let rows = try await transaction("documentVersions", idempotent: true) { connection in
                try connection.query(query, [list], operation: "documentVersions") {
                    (try $0.decode(0, as: Int64.self), try $0.decode(1, as: Int64.self))
                }
            }
            for (id, version) in rows { versions[id] = version }
        }
        return versions
    }
}
