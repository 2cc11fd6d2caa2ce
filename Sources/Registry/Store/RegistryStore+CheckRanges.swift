/// The registry's side of a check in ranges of ids: each reader returns what one half-open
/// range `[from, below)` of document or entity ids holds, so a check's memory depends on the
/// range's size and not on the corpus's. Every query walks a primary key or an index.
extension RegistryStore {
    /// The smallest and largest document and entity ids (nil for an empty table): where a check's
    /// ranges begin and end.
    public func idBounds() async throws -> (documents: ClosedRange<Int64>?, entities: ClosedRange<Int64>?) {
        let query = sql("""
            SELECT (SELECT min(id) FROM {schema}.documents), (SELECT max(id) FROM {schema}.documents),
                   (SELECT min(id) FROM {schema}.entities), (SELECT max(id) FROM {schema}.entities)
            """)
        let row = try await transaction("idBounds", idempotent: true) { connection in
            try connection.query(query, operation: "idBounds") { row in
                (try row.decode(0, as: Int64?.self), try row.decode(1, as: Int64?.self),
                 try row.decode(2, as: Int64?.self), try row.decode(3, as: Int64?.self))
            }
        }.first
        func range(_ low: Int64?, _ high: Int64?) -> ClosedRange<Int64>? {
            guard let low, let high, low <= high else { return nil }
            return low...high
        }
        return (range(row?.0, row?.1), range(row?.2, row?.3))
    }

    /// The documents (any status) with ids in `[from, below)`, in id order.
    public func documents(from: Int64, below: Int64) async throws -> [DocumentRecord] {
        let query = sql("""
            SELECT id, source, sha256, bytes, status, version, fingerprint FROM {schema}.documents
            WHERE id >= $1 AND id < $2 ORDER BY id
            """)
        return try await transaction("documentsInRange", idempotent: true) { connection in
            try connection.query(query, [from, below], operation: "documentsInRange", binaryResults: true, decode: DocumentRecord.init(row:))
        }
    }

    /// The mention snapshots of the loaded documents with ids in `[from, below)`.
    public func mentionsOfLoadedDocuments(from: Int64, below: Int64) async throws -> [MentionRecord] {
        let query = sql("""
            SELECT m.document_id, m.entity_id, m.count FROM {schema}.document_mentions m
            JOIN {schema}.documents d ON d.id = m.document_id AND d.status = 'loaded'
            WHERE m.document_id >= $1 AND m.document_id < $2
            """)
        return try await transaction("mentionsInRange", idempotent: true) { connection in
            try connection.query(query, [from, below], operation: "mentionsInRange", binaryResults: true, decode: MentionRecord.init(row:))
        }
    }

    /// The chunk snapshots of the loaded documents with ids in `[from, below)`, in document and
    /// index order.
    public func chunksOfLoadedDocuments(from: Int64, below: Int64) async throws -> [ChunkRecord] {
        let query = sql("""
            SELECT c.document_id, c.chunk_index, c.start_offset, c.end_offset, c.sha256 FROM {schema}.document_chunks c
            JOIN {schema}.documents d ON d.id = c.document_id AND d.status = 'loaded'
            WHERE c.document_id >= $1 AND c.document_id < $2
            ORDER BY c.document_id, c.chunk_index
            """)
        return try await transaction("chunksInRange", idempotent: true) { connection in
            try connection.query(query, [from, below], operation: "chunksInRange", binaryResults: true, decode: ChunkRecord.init(row:))
        }
    }

    /// The ids in `[from, below)` of documents stuck in `indexing` past their lease or their
    /// holder's life, and of
    /// documents `check --repair` queued for re-extraction that no run has loaded since.
    public func leaseAndReextractionStates(from: Int64, below: Int64) async throws -> (expired: [Int64], awaiting: [Int64]) {
        let query = sql("""
            SELECT id, status = 'indexing' FROM {schema}.documents
            WHERE id >= $1 AND id < $2
              AND ((status = 'indexing' AND NOT {schema}.lease_is_live(lease_holder, lease_until))
                   OR (status = 'pending' AND starts_with(error, $3)))
            ORDER BY id
            """)
        let rows = try await transaction("leaseStatesInRange", idempotent: true) { connection in
            try connection.query(query, [from, below, Self.reextractionMark], operation: "leaseStatesInRange") { row in
                (try row.decode(0, as: Int64.self), try row.decode(1, as: Bool.self))
            }
        }
        return (rows.filter(\.1).map(\.0), rows.filter { !$0.1 }.map(\.0))
    }

    /// The entities with ids in `[from, below)`, in id order.
    public func entities(from: Int64, below: Int64) async throws -> [EntityRecord] {
        let query = sql("SELECT id, key, name, type FROM {schema}.entities WHERE id >= $1 AND id < $2 ORDER BY id")
        return try await transaction("entitiesInRange", idempotent: true) { connection in
            try connection.query(query, [from, below], operation: "entitiesInRange", binaryResults: true) { row in
                EntityRecord(id: try row.decode(0), key: try row.decode(1), name: try row.decode(2), type: try row.decode(3))
            }
        }
    }

    /// The ids in `[from, below)` of entities some loaded document's mention snapshot names:
    /// the entities the graph must hold. One walk of `document_mentions_entity`.
    public func entitiesNeededByLoadedDocuments(from: Int64, below: Int64) async throws -> [Int64] {
        let query = sql("""
            SELECT DISTINCT m.entity_id FROM {schema}.document_mentions m
            JOIN {schema}.documents d ON d.id = m.document_id AND d.status = 'loaded'
            WHERE m.entity_id >= $1 AND m.entity_id < $2
            """)
        return try await transaction("neededEntitiesInRange", idempotent: true) { connection in
            try connection.query(query, [from, below], operation: "neededEntitiesInRange") { try $0.decode(0, as: Int64.self) }
        }
    }

    /// The pair totals whose lower entity id is in `[from, below)` that the graph's edges are
    /// compared with: those that reach `minimumCount` and those still `pending` (a sync has not
    /// written them yet, or has not folded their deltas; `isPending` says which), in pair order.
    public func pairTotalsForCheck(from: Int64, below: Int64, atLeast minimumCount: Int) async throws -> [(total: PairTotal, isPending: Bool)] {
        let query = sql("""
            SELECT t.entity_a, t.entity_b, t.count, t.documents, t.graph_count, t.revision, t.pending OR d.entity_a IS NOT NULL
            FROM {schema}.pair_totals t
            LEFT JOIN (SELECT DISTINCT entity_a, entity_b FROM {schema}.pair_deltas WHERE entity_a >= $1 AND entity_a < $2) d
              ON (t.entity_a, t.entity_b) = (d.entity_a, d.entity_b)
            WHERE t.entity_a >= $1 AND t.entity_a < $2 AND (t.count >= $3 OR t.pending OR d.entity_a IS NOT NULL)
            ORDER BY t.entity_a, t.entity_b
            """)
        return try await transaction("pairTotalsInRange", idempotent: true) { connection in
            try connection.query(query, [from, below, Int64(max(1, minimumCount))], operation: "pairTotalsInRange") { row in
                (try PairTotal(row: row), try row.decode(6, as: Bool.self))
            }
        }
    }
}

/// A document row's status and last change, as a range repair compares them to know whether a
/// worker touched the document since the check read it.
public struct DocumentStamp: Sendable, Hashable {
    public var status: String
    public var updatedAt: String
}

extension RegistryStore {
    /// The status and last change of the documents with ids in `[from, below)`.
    public func documentStamps(from: Int64, below: Int64) async throws -> [Int64: DocumentStamp] {
        let query = stampQuery(lock: false)
        return try await transaction("documentStamps", idempotent: true) { connection in
            try Self.stamps(connection, query: query, from: from, below: below)
        }
    }

    /// Runs `body` with the rows of the documents with ids in `[from, below)` locked `FOR
    /// SHARE` in one open transaction, given their stamps as they are now: no worker can claim,
    /// load, fail or delete one of them until `body` returns (claims wait), so a repair of the
    /// range cannot cross a worker's write of the same document. Workers never hold a graph
    /// transaction while they wait for a row, so this cannot deadlock with them.
    public func withDocumentRowsShared<T: Sendable>(
        from: Int64, below: Int64, _ body: @Sendable ([Int64: DocumentStamp]) async throws -> T
    ) async throws -> T {
        let query = stampQuery(lock: true)
        return try await pool.withConnection { connection in
            let stamps = try await connection.run("lockDocumentRange") { connection in
                _ = try connection.execute("BEGIN", operation: "lockDocumentRange")
                return try Self.stamps(connection, query: query, from: from, below: below)
            }
            do {
                let value = try await body(stamps)
                _ = try await connection.run("unlockDocumentRange") { try $0.execute("COMMIT", operation: "unlockDocumentRange") }
                return value
            } catch {
                _ = try? await connection.run("unlockDocumentRange") { try $0.execute("ROLLBACK", operation: "unlockDocumentRange") }
                throw error
            }
        }
    }

    private func stampQuery(lock: Bool) -> String {
        sql("SELECT id, status, updated_at::text FROM {schema}.documents WHERE id >= $1 AND id < $2 ORDER BY id") + (lock ? " FOR SHARE" : "")
    }

    private static func stamps(_ connection: isolated PostgresConnection, query: String, from: Int64, below: Int64) throws -> [Int64: DocumentStamp] {
        var stamps: [Int64: DocumentStamp] = [:]
        let rows = try connection.query(query, [from, below], operation: "documentStamps") { row in
            (try row.decode(0, as: Int64.self), DocumentStamp(status: try row.decode(1), updatedAt: try row.decode(2)))
        }
        for (id, stamp) in rows { stamps[id] = stamp }
        return stamps
    }
}
