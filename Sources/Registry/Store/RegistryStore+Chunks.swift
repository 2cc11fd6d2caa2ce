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

    /// The step that replaces the chunk snapshots (nil when there are none), with each chunk's
    /// entities (`document_chunk_mentions`). Before anything is replaced it marks, in
    /// `community_marks`, the entities whose chunk links changed: a row (chunk, entity, count,
    /// chunk text hash) that goes or comes; a chunk that keeps its text and entities marks none.
    func chunkStep(_ snapshots: [Int64: [ChunkRecord]]) -> SnapshotStep? {
        guard !snapshots.isEmpty else { return nil }
        let rows = snapshots.flatMap { id, chunks in chunks.map { chunk in var chunk = chunk; chunk.documentID = id; return chunk } }
        let mentionRows = Self.chunkMentionRows(rows)
        let table = Self.chunkTable
        let mentionTable = Self.chunkMentionTable
        let statements = chunkStatements(table: table, mentionTable: mentionTable)
        let chunks = snapshotStep(of: Array(snapshots.keys), with: rows, SnapshotReplacement(
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
            statements: { documentIDs in statements.map { PostgresStatement($0, [documentIDs]) } }))
        return SnapshotStep(operation: chunks.operation) { connection in
            // The chunk mentions go into their temporary table first: the chunk step's statements
            // compare and replace both.
            try connection.ensureTemporaryTable(mentionTable, columns: "document_id bigint, chunk_index integer, entity_id bigint, count integer",
                                                operation: chunks.operation)
            try connection.copyIn("COPY pg_temp.\(mentionTable) (document_id, chunk_index, entity_id, count) FROM STDIN", rows: mentionRows,
                                  operation: chunks.operation) { writer, row in
                writer.append(row.documentID)
                writer.append(Int64(row.chunkIndex))
                writer.append(row.entityID)
                writer.append(Int64(row.count))
            }
            try chunks.run(connection)
        }
    }

    private static let chunkMentionTable = "graphingest_chunk_mentions"

    /// Each chunk's mentions as rows, counts of one entity in one chunk added up, counts below 1
    /// dropped.
    static func chunkMentionRows(_ chunks: [ChunkRecord]) -> [ChunkMentionRecord] {
        var rows: [ChunkMentionRecord] = []
        for chunk in chunks {
            for mention in chunk.mentions.filter({ $0.count > 0 }).sorted(by: { $0.entityID < $1.entityID }) {
                if let last = rows.last, last.documentID == chunk.documentID, last.chunkIndex == chunk.index, last.entityID == mention.entityID {
                    rows[rows.count - 1].count += mention.count
                } else {
                    rows.append(ChunkMentionRecord(documentID: chunk.documentID, chunkIndex: chunk.index, entityID: mention.entityID,
                                                   count: mention.count))
                }
            }
        }
        return rows
    }

    /// The chunk step's statements, each given the documents' ids as `$1`: mark the entities
    /// whose chunk links change, replace the chunks, replace their mentions.
    func chunkStatements(table: String, mentionTable: String) -> [String] {
        let old = """
            SELECT m.document_id, m.chunk_index, m.entity_id, m.count, c.sha256
            FROM {schema}.document_chunk_mentions m
            JOIN {schema}.document_chunks c ON c.document_id = m.document_id AND c.chunk_index = m.chunk_index
            WHERE m.document_id = ANY($1::bigint[])
            """
        let new = """
            SELECT t.document_id, t.chunk_index, t.entity_id, t.count, k.sha256
            FROM pg_temp.\(mentionTable) t JOIN pg_temp.\(table) k ON k.document_id = t.document_id AND k.chunk_index = t.chunk_index
            """
        return [
            """
            INSERT INTO {schema}.community_marks (entity_id)
            SELECT DISTINCT entity_id FROM ((\(old) EXCEPT \(new)) UNION ALL (\(new) EXCEPT \(old))) changed
            ORDER BY entity_id
            """,
            """
            DELETE FROM {schema}.document_chunks c
            WHERE c.document_id = ANY($1::bigint[])
              AND NOT EXISTS (SELECT 1 FROM pg_temp.\(table) t
                              WHERE t.document_id = c.document_id AND t.chunk_index = c.chunk_index)
            """,
            """
            INSERT INTO {schema}.document_chunks AS c (document_id, chunk_index, start_offset, end_offset, sha256)
            SELECT document_id, chunk_index, start_offset, end_offset, sha256 FROM pg_temp.\(table) WHERE document_id = ANY($1::bigint[])
            ON CONFLICT (document_id, chunk_index) DO UPDATE
                SET start_offset = excluded.start_offset, end_offset = excluded.end_offset, sha256 = excluded.sha256
                WHERE (c.start_offset, c.end_offset, c.sha256) IS DISTINCT FROM (excluded.start_offset, excluded.end_offset, excluded.sha256)
            """,
            """
            DELETE FROM {schema}.document_chunk_mentions m
            WHERE m.document_id = ANY($1::bigint[])
              AND NOT EXISTS (SELECT 1 FROM pg_temp.\(mentionTable) t
                              WHERE t.document_id = m.document_id AND t.chunk_index = m.chunk_index AND t.entity_id = m.entity_id)
            """,
            """
            INSERT INTO {schema}.document_chunk_mentions AS m (document_id, chunk_index, entity_id, count)
            SELECT document_id, chunk_index, entity_id, count FROM pg_temp.\(mentionTable) WHERE document_id = ANY($1::bigint[])
            ON CONFLICT (document_id, chunk_index, entity_id) DO UPDATE SET count = excluded.count WHERE m.count <> excluded.count
            """,
        ].map { sql($0) }
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
