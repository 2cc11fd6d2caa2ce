extension RegistryStore {
    /// Puts documents whose `indexing` lease has expired, or whose holder died, back in the queue
    /// (`pending`), so the next run takes them. Live leases are left alone. Safe to repeat.
    ///
    /// - Returns: the ids released, in id order.
    @discardableResult
    public func releaseExpiredLeases() async throws -> [Int64] {
        let update = sql("""
            UPDATE {schema}.documents SET status = 'pending', lease_until = NULL, lease_holder = NULL, updated_at = now()
            WHERE status = 'indexing' AND NOT {schema}.lease_is_live(lease_holder, lease_until)
            RETURNING id
            """)
        return try await transaction("releaseExpiredLeases", idempotent: true) { connection in
            try connection.query(update, operation: "releaseExpiredLeases") { try $0.decode(0, as: Int64.self) }
        }.sorted()
    }

    /// How the `error` of a document that `check --repair` put back in the queue begins: the
    /// mark by which ``documentsAwaitingReextraction()`` finds it until a run loads it again
    /// (loading clears the error).
    public static let reextractionMark = "check --repair: "

    /// Puts loaded documents back in the queue (`pending`) for their text to be extracted
    /// again, with `reason` after ``reextractionMark`` as their error. `ingest` and `reindex`
    /// classify a document that is not `loaded` as changed, so their next run over the corpus
    /// redoes these whatever their content. Documents in another status are left alone. Safe
    /// to repeat.
    ///
    /// - Returns: the ids marked, in id order.
    @discardableResult
    public func markForReextraction(_ documentIDs: [Int64], reason: String) async throws -> [Int64] {
        let update = sql("""
            UPDATE {schema}.documents SET status = 'pending', error = $2, lease_until = NULL, updated_at = now()
            WHERE id = ANY($1::bigint[]) AND status = 'loaded'
            RETURNING id
            """)
        let error = Self.reextractionMark + reason
        var marked: [Int64] = []
        for batch in batches(documentIDs) {
            let ids = Array(batch)
            marked += try await transaction("markForReextraction", idempotent: true) { connection in
                try connection.query(update, [ids, error], operation: "markForReextraction") { try $0.decode(0, as: Int64.self) }
            }
        }
        return marked.sorted()
    }

    /// Documents `check --repair` marked for re-extraction that no run has loaded since, in id
    /// order.
    public func documentsAwaitingReextraction() async throws -> [DocumentReference] {
        let query = sql("""
            SELECT id, source FROM {schema}.documents
            WHERE status = 'pending' AND starts_with(error, $1)
            ORDER BY id
            """)
        return try await transaction("documentsAwaitingReextraction", idempotent: true) { connection in
            try connection.query(query, [Self.reextractionMark], operation: "documentsAwaitingReextraction") { row in
                DocumentReference(id: try row.decode(0), source: try row.decode(1))
            }
        }
    }

    /// The rows of the given documents (any status), in id order; unknown ids are left out.
    /// One query per `batchSize` ids: what a repair rewrites the graph from.
    public func documents(ids: [Int64]) async throws -> [DocumentRecord] {
        let query = sql("""
            SELECT id, source, sha256, bytes, status, version, fingerprint FROM {schema}.documents
            WHERE id = ANY($1::bigint[]) ORDER BY id
            """)
        var records: [DocumentRecord] = []
        for batch in batches(ids) {
            let list = Array(batch)
            records += try await transaction("documentsByID", idempotent: true) { connection in
                try connection.query(query, [list], operation: "documentsByID", decode: DocumentRecord.init(row:))
            }
        }
        return records
    }

    /// The rows of the given entities, in id order; unknown ids are left out.
    public func entities(ids: [Int64]) async throws -> [EntityRecord] {
        let query = sql("SELECT id, key, name, type FROM {schema}.entities WHERE id = ANY($1::bigint[]) ORDER BY id")
        var records: [EntityRecord] = []
        for batch in batches(ids) {
            let list = Array(batch)
            records += try await transaction("entitiesByID", idempotent: true) { connection in
                try connection.query(query, [list], operation: "entitiesByID") { row in
                    EntityRecord(id: try row.decode(0), key: try row.decode(1), name: try row.decode(2), type: try row.decode(3))
                }
            }
        }
        return records
    }

    /// Those of `entityIDs` that some document's mention snapshot still names (with
    /// `loadedOnly`, some loaded document's): entities the graph must keep. One hash semi-join
    /// over `document_mentions` per `batchSize` ids, so an orphan sweep asks the graph only about
    /// the rest.
    public func entitiesInSnapshots(among entityIDs: [Int64], loadedOnly: Bool = false) async throws -> Set<Int64> {
        let query = sql("""
            SELECT c.id FROM unnest($1::bigint[]) AS c(id)
            WHERE EXISTS (SELECT 1 FROM {schema}.document_mentions m
                          WHERE m.entity_id = c.id
                            AND (NOT $2 OR EXISTS (SELECT 1 FROM {schema}.documents d WHERE d.id = m.document_id AND d.status = 'loaded')))
            """)
        var found = Set<Int64>()
        for batch in batches(entityIDs) {
            let list = Array(batch)
            found.formUnion(try await transaction("entitiesInSnapshots", idempotent: true) { connection in
                try connection.query(query, [list, loadedOnly], operation: "entitiesInSnapshots") { try $0.decode(0, as: Int64.self) }
            })
        }
        return found
    }
}
