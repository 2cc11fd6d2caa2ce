extension RegistryStore {
    private static let mentionTable = "graphingest_mentions"

    /// Replaces the mention snapshots of the given documents, all in one transaction: after it,
    /// each document's rows in `document_mentions` are exactly the counts given (an empty array
    /// empties the snapshot). Rows that did not change are not rewritten. Safe to repeat.
    ///
    /// Counts for the same entity in one document are added up; counts below 1 are dropped.
    public func replaceMentionSnapshots(_ snapshots: [Int64: [MentionCount]]) async throws {
        try await replaceSnapshots([mentionStep(snapshots)].compactMap { $0 })
    }

    /// The step that replaces the mention snapshots (nil when there are none).
    func mentionStep(_ snapshots: [Int64: [MentionCount]]) -> SnapshotStep? {
        guard !snapshots.isEmpty else { return nil }
        var rows: [MentionRecord] = []
        rows.reserveCapacity(snapshots.values.reduce(0) { $0 + $1.count })
        for (documentID, counts) in snapshots {
            // Sorted by entity, duplicates are neighbours: adding them up needs no dictionary
            // (one per document was a good part of this function's client CPU).
            for mention in counts.filter({ $0.count > 0 }).sorted(by: { $0.entityID < $1.entityID }) {
                if let last = rows.last, last.documentID == documentID, last.entityID == mention.entityID {
                    rows[rows.count - 1].count += mention.count
                } else {
                    rows.append(MentionRecord(documentID: documentID, entityID: mention.entityID, count: mention.count))
                }
            }
        }
        let table = Self.mentionTable
        // document_mentions has no foreign keys (per-row checks made bulk replacement four times
        // slower); documents and entities are never deleted (tombstones), so one bulk check of
        // the new rows against both tables at write time holds the same guarantee.
        let orphans = sql("""
            SELECT 1 FROM pg_temp.\(table) t
            WHERE NOT EXISTS (SELECT 1 FROM {schema}.documents d WHERE d.id = t.document_id)
               OR NOT EXISTS (SELECT 1 FROM {schema}.entities e WHERE e.id = t.entity_id)
            """)
        // Entities a document starts or stops mentioning change their communities' documents
        // (`community_rank`); marked before the rows change (the chunk step marks chunk changes).
        let mark = sql("""
            INSERT INTO {schema}.community_marks (entity_id)
            SELECT DISTINCT entity_id FROM (
                (SELECT document_id, entity_id FROM {schema}.document_mentions WHERE document_id = ANY($1::bigint[])
                 EXCEPT SELECT document_id, entity_id FROM pg_temp.\(table))
                UNION ALL
                (SELECT document_id, entity_id FROM pg_temp.\(table)
                 EXCEPT SELECT document_id, entity_id FROM {schema}.document_mentions WHERE document_id = ANY($1::bigint[]))
            ) changed ORDER BY entity_id
            """)
        let removeStale = sql("""
            DELETE FROM {schema}.document_mentions m
            WHERE m.document_id = ANY($1::bigint[])
              AND NOT EXISTS (SELECT 1 FROM pg_temp.\(table) t
                              WHERE t.document_id = m.document_id AND t.entity_id = m.entity_id)
            """)
        let upsert = sql("""
            INSERT INTO {schema}.document_mentions AS m (document_id, entity_id, count)
            SELECT document_id, entity_id, count FROM pg_temp.\(table)
            ON CONFLICT (document_id, entity_id) DO UPDATE SET count = excluded.count
                WHERE m.count <> excluded.count
            """)
        return snapshotStep(of: Array(snapshots.keys), with: rows, SnapshotReplacement(
            operation: "replaceMentionSnapshots",
            table: table,
            columns: "document_id bigint, entity_id bigint, count integer",
            columnNames: "document_id, entity_id, count",
            encode: { writer, row in
                writer.append(row.documentID)
                writer.append(row.entityID)
                writer.append(Int64(row.count))
            },
            // Both writes and the check in one round trip; the transaction rolls back on orphans.
            statements: { documentIDs in
                [PostgresStatement(mark, [documentIDs]), PostgresStatement(removeStale, [documentIDs]), PostgresStatement(orphans),
                 PostgresStatement(upsert)]
            },
            verify: { counts in
                guard counts[2] == 0 else {
                    throw RegistryError(
                        .invalidArgument, operation: "replaceMentionSnapshots",
                        message: "\(counts[2]) mention rows name a document or entity id that is not registered")
                }
            }))
    }

    /// The mention snapshots of the given documents (documents without mentions map to `[]`).
    public func mentionSnapshot(documentIDs: [Int64]) async throws -> [Int64: [MentionCount]] {
        var snapshots: [Int64: [MentionCount]] = [:]
        for id in documentIDs { snapshots[id] = [] }
        for batch in batches(documentIDs) {
            let ids = Array(batch)
            let query = sql("""
                SELECT document_id, entity_id, count FROM {schema}.document_mentions
                WHERE document_id = ANY($1::bigint[]) ORDER BY document_id, entity_id
                """)
            let rows = try await transaction("mentionSnapshot", idempotent: true) { connection in
                try connection.query(query, [ids], operation: "mentionSnapshot", decode: MentionRecord.init(row:))
            }
            for row in rows { snapshots[row.documentID, default: []].append(MentionCount(entityID: row.entityID, count: row.count)) }
        }
        return snapshots
    }
}

extension MentionRecord {
    /// Decodes `document_id, entity_id, count`.
    init(row: PostgresRow) throws {
        self.init(documentID: try row.decode(0), entityID: try row.decode(1), count: try row.decode(2))
    }
}
