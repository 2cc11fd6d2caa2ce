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

    /// Documents in id order, a page at a time; only those with `status` unless it is nil.
    /// The consistency check reads the loaded ones (source, SHA-256, version).
    public func documents(status: DocumentStatus? = .loaded, pageSize: Int = 10_000) -> RegistryPages<DocumentRecord> {
        let query = sql("""
            SELECT id, source, sha256, bytes, status, version, fingerprint FROM {schema}.documents
            WHERE id > $1 AND ($2::text IS NULL OR status = $2::text)
            ORDER BY id LIMIT $3
            """)
        let status = status?.rawValue
        return RegistryPages(fetch: { [self] cursor in
            try await transaction("documents", idempotent: true) { connection in
                try connection.query(query, [cursor?.0 ?? 0, status, pageSize], operation: "documents", binaryResults: true,
                                     decode: DocumentRecord.init(row:))
            }
        }, cursor: { ($0.id, 0) })
    }

    /// Every entity in id order, a page at a time (the bulk readers take results in binary).
    public func entities(pageSize: Int = 10_000) -> RegistryPages<EntityRecord> {
        let query = sql("SELECT id, key, name, type FROM {schema}.entities WHERE id > $1 ORDER BY id LIMIT $2")
        return RegistryPages(fetch: { [self] cursor in
            try await transaction("entities", idempotent: true) { connection in
                try connection.query(query, [cursor?.0 ?? 0, pageSize], operation: "entities", binaryResults: true) { row in
                    EntityRecord(id: try row.decode(0), key: try row.decode(1), name: try row.decode(2), type: try row.decode(3))
                }
            }
        }, cursor: { ($0.id, 0) })
    }

    /// Every row of every mention snapshot, ordered by document then entity, a page at a time.
    public func mentions(pageSize: Int = 50_000) -> RegistryPages<MentionRecord> {
        let query = sql("""
            SELECT document_id, entity_id, count FROM {schema}.document_mentions
            WHERE (document_id, entity_id) > ($1, $2)
            ORDER BY document_id, entity_id LIMIT $3
            """)
        return RegistryPages(fetch: { [self] cursor in
            try await transaction("mentions", idempotent: true) { connection in
                try connection.query(query, [cursor?.0 ?? 0, cursor?.1 ?? 0, pageSize], operation: "mentions", binaryResults: true, decode: MentionRecord.init(row:))
            }
        }, cursor: { ($0.documentID, $0.entityID) })
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
