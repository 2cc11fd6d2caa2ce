extension RegistryStore {
    private static let chunkTable = "graphingest_chunks"

    /// Replaces the chunk snapshots of the given documents in one transaction: after it, each
    /// document's rows in `document_chunks` are exactly the chunks given (an empty array empties
    /// the snapshot). Rows that did not change are not rewritten. Safe to repeat.
    ///
    /// - Parameter snapshots: each document's chunks; their `documentID` is the key's.
    public func replaceChunkSnapshots(_ snapshots: [Int64: [ChunkRecord]]) async throws {
        try await replaceSnapshots([chunkStep(snapshots)].compactMap { $0 })
    }

    /// The step that replaces the chunk snapshots (nil when there are none).
    func chunkStep(_ snapshots: [Int64: [ChunkRecord]]) -> SnapshotStep? {
        guard !snapshots.isEmpty else { return nil }
        let rows = snapshots.flatMap { id, chunks in chunks.map { chunk in var chunk = chunk; chunk.documentID = id; return chunk } }
        let table = Self.chunkTable
        let removeStale = sql("""
            DELETE FROM {schema}.document_chunks c
            WHERE c.document_id = ANY($1::bigint[])
              AND NOT EXISTS (SELECT 1 FROM pg_temp.\(table) t
                              WHERE t.document_id = c.document_id AND t.chunk_index = c.chunk_index)
            """)
        let upsert = sql("""
            INSERT INTO {schema}.document_chunks AS c (document_id, chunk_index, start_offset, end_offset, sha256)
            SELECT document_id, chunk_index, start_offset, end_offset, sha256 FROM pg_temp.\(table)
            ON CONFLICT (document_id, chunk_index) DO UPDATE
                SET start_offset = excluded.start_offset, end_offset = excluded.end_offset, sha256 = excluded.sha256
                WHERE (c.start_offset, c.end_offset, c.sha256) IS DISTINCT FROM (excluded.start_offset, excluded.end_offset, excluded.sha256)
            """)
        return snapshotStep(of: Array(snapshots.keys), with: rows, SnapshotReplacement(
            operation: "replaceChunkSnapshots",
            table: table,
            columns: "document_id bigint, chunk_index integer, start_offset bigint, end_offset bigint, sha256 text",
            columnNames: "document_id, chunk_index, start_offset, end_offset, sha256",
            encode: { writer, row in
                writer.append(row.documentID)
                writer.append(Int64(row.index))
                writer.append(row.start)
                writer.append(row.end)
                writer.append(row.sha256)
            },
            statements: { documentIDs in [PostgresStatement(removeStale, [documentIDs]), PostgresStatement(upsert)] }))
    }

    /// The chunk snapshots of the given documents, in index order (documents without chunks map
    /// to `[]`).
    public func chunkSnapshot(documentIDs: [Int64]) async throws -> [Int64: [ChunkRecord]] {
        var snapshots: [Int64: [ChunkRecord]] = [:]
        for id in documentIDs { snapshots[id] = [] }
        let query = sql("""
            SELECT document_id, chunk_index, start_offset, end_offset, sha256 FROM {schema}.document_chunks
            WHERE document_id = ANY($1::bigint[]) ORDER BY document_id, chunk_index
            """)
        for batch in batches(documentIDs) {
            let ids = Array(batch)
            let rows = try await transaction("chunkSnapshot", idempotent: true) { connection in
                try connection.query(query, [ids], operation: "chunkSnapshot", decode: ChunkRecord.init(row:))
            }
            for row in rows { snapshots[row.documentID, default: []].append(row) }
        }
        return snapshots
    }
}

extension ChunkRecord {
    /// Decodes `document_id, chunk_index, start_offset, end_offset, sha256`.
    init(row: PostgresRow) throws {
        self.init(documentID: try row.decode(0), index: try row.decode(1), start: try row.decode(2), end: try row.decode(3),
                  sha256: try row.decode(4))
    }
}
