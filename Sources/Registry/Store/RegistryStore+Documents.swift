import Foundation

extension RegistryStore {
    /// Registers sources and returns the id of each: new sources get a new id, known sources
    /// keep theirs, and a deleted source is revived (status `pending`) with its old id.
    ///
    /// - Returns: the id of every distinct source passed.
    public func registerDocuments(_ documents: [DocumentRegistration]) async throws -> [String: Int64] {
        try await registerDocumentsReturningVersions(documents).mapValues(\.id)
    }

    /// Registers sources like ``registerDocuments(_:)`` and returns, for each, its id and the
    /// version last loaded.
    ///
    /// Each batch is one transaction: COPY into a temporary table, then one
    /// `INSERT ... ON CONFLICT ... RETURNING`. Safe to repeat, so retried once on a lost
    /// connection.
    /// Metadata of known sources is left alone (`markLoaded` records it).
    public func registerDocumentsReturningVersions(_ documents: [DocumentRegistration]) async throws -> [String: RegisteredDocument] {
        var seen = Set<String>()
        let unique = documents.filter { seen.insert($0.source).inserted }
        let table = "graphingest_register_documents"
        return try await register(unique, Registration(
            operation: "registerDocuments",
            table: table,
            columns: "source text, sha256 text, bytes bigint, charset text, file_size bigint, file_mtime timestamptz",
            columnNames: "source, sha256, bytes, charset, file_size, file_mtime",
            // Known sources are found with one hash join and never touched (no row locks, no
            // WAL); deleted ones are revived; only the rest are inserted.
            insert: sql("""
                WITH input AS (
                    SELECT source, sha256, bytes, charset, file_size, file_mtime FROM pg_temp.\(table)
                ), existing AS (
                    SELECT d.id, d.source, d.status, d.version, d.loaded_run FROM input JOIN {schema}.documents d ON d.source = input.source
                ), revived AS (
                    UPDATE {schema}.documents d
                    SET status = 'pending', deleted_at = NULL, lease_until = NULL, updated_at = now()
                    FROM existing WHERE d.id = existing.id AND existing.status = 'deleted'
                ), inserted AS (
                    INSERT INTO {schema}.documents (source, sha256, bytes, charset, file_size, file_mtime)
                    SELECT * FROM input WHERE NOT EXISTS (SELECT 1 FROM existing WHERE existing.source = input.source)
                    ORDER BY source  -- one lock order for concurrent writers (no 40P01 deadlocks)
                    ON CONFLICT (source) DO NOTHING
                    RETURNING id, source
                )
                SELECT id, source, 0::bigint AS version, NULL::bigint AS loaded_run FROM inserted
                UNION ALL
                SELECT id, source, version, loaded_run FROM existing
                """),
            lookup: sql("SELECT id, source, version, loaded_run FROM {schema}.documents WHERE source = ANY($1::text[])"),
            key: \.source,
            decode: {
                RegisteredDocument(id: try $0.decode(0, as: Int64.self), version: try $0.decode(2, as: Int64.self),
                                   loadedRun: try $0.decode(3, as: Int64?.self))
            },
            encode: DocumentRegistration.copy
        ))
    }

    /// The ids of the given sources that are registered (deleted ones included).
    public func documentIDs(sources: [String]) async throws -> [String: Int64] {
        try await lookUp(sources, operation: "documentIDs",
                         query: sql("SELECT source, id FROM {schema}.documents WHERE source = ANY($1::text[])"))
    }

    /// Records documents as loaded: their hash, version, fingerprint and file facts; clears any
    /// lease, error and tombstone, and resolves the open dead letters of their sources (a rerun
    /// that loads what once failed closes its letters). Call after the graph write succeeded.
    /// Safe to repeat.
    ///
    /// A document another worker holds under a live lease is left to it: `holder` names the
    /// caller's claims (nil for a caller that claims nothing, such as `load`).
    ///
    /// - Returns: how many documents were updated (unknown ids are ignored).
    @discardableResult
    public func markLoaded(_ documents: [LoadedDocument], holder: String? = nil) async throws -> Int {
        try await updateInBatches(documents, operation: "markLoaded", sql: """
            WITH resolved AS (
                UPDATE {schema}.dead_letters l SET resolved_at = now()
                FROM {schema}.documents r
                WHERE r.id = ANY($1::bigint[]) AND l.source = r.source AND l.resolved_at IS NULL
            )
            UPDATE {schema}.documents d SET
                status = 'loaded', sha256 = u.sha256, version = u.version,
                fingerprint = coalesce(u.fingerprint, d.fingerprint), bytes = coalesce(u.bytes, d.bytes),
                charset = coalesce(u.charset, d.charset), file_size = coalesce(u.file_size, d.file_size),
                file_mtime = coalesce(u.file_mtime, d.file_mtime), loaded_run = u.run_id,
                lease_until = NULL, lease_holder = NULL, error = NULL, deleted_at = NULL, updated_at = now(),
                chunk_mentions_missing = false
            FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::bigint[], $6::text[],
                        $7::bigint[], $8::timestamptz[], $9::bigint[])
                AS u(id, sha256, version, fingerprint, bytes, charset, file_size, file_mtime, run_id)
            WHERE d.id = u.id \(Self.notHeldByAnotherLiveWorker)
            """) { batch in
            [batch.map(\.id), batch.map(\.sha256), batch.map(\.version), batch.map(\.fingerprint),
             batch.map(\.bytes), batch.map(\.charset), batch.map(\.fileSize), batch.map(\.fileModified), batch.map(\.runID), holder]
        }
    }

    /// Records documents as failed, keeping the error; clears their lease (one another live
    /// worker holds is left to it). Safe to repeat.
    @discardableResult
    public func markFailed(_ documents: [FailedDocument], holder: String? = nil) async throws -> Int {
        try await updateInBatches(documents, operation: "markFailed", sql: """
            UPDATE {schema}.documents d SET status = 'failed', error = u.error, lease_until = NULL, lease_holder = NULL, updated_at = now()
            FROM unnest($1::bigint[], $2::text[]) AS u(id, error)
            WHERE d.id = u.id \(Self.notHeldByAnotherLiveWorker.replacingOccurrences(of: "$10", with: "$3"))
            """) { batch in
            [batch.map(\.id), batch.map(\.error), holder]
        }
    }

    /// The condition (on `d`, the holder in `$10`) that leaves alone a document another live
    /// worker holds (`lease_is_live`).
    static let notHeldByAnotherLiveWorker = """
        AND NOT (d.status = 'indexing' AND d.lease_holder IS DISTINCT FROM $10::text AND {schema}.lease_is_live(d.lease_holder, d.lease_until))
        """

    /// Runs an idempotent `UPDATE ... FROM unnest(...)` once per batch, with the batch's columns
    /// as array parameters, and adds up the rows updated.
    private func updateInBatches<Item: Sendable>(
        _ items: [Item], operation: String, sql text: String,
        columns: (ArraySlice<Item>) -> [any PostgresParameter]
    ) async throws -> Int {
        let update = sql(text)
        var updated = 0
        for batch in batches(items) {
            let parameters = columns(batch)
            updated += try await transaction(operation, idempotent: true) { connection in
                try connection.execute(update, parameters, operation: operation)
            }
        }
        return updated
    }

    /// Turns documents into tombstones: status `deleted`, mention snapshot emptied (a deleted
    /// document puts nothing in the graph); the row and its id stay. Safe to repeat.
    @discardableResult
    public func markDeleted(_ documentIDs: [Int64]) async throws -> Int {
        var updated = 0
        for batch in batches(documentIDs) {
            let ids = Array(batch)
            // What the documents mentioned changes its communities: marked before it goes.
            let mark = sql("""
                INSERT INTO {schema}.community_marks (entity_id)
                SELECT DISTINCT entity_id FROM {schema}.document_mentions WHERE document_id = ANY($1::bigint[]) ORDER BY entity_id
                """)
            let clear = sql("DELETE FROM {schema}.document_mentions WHERE document_id = ANY($1::bigint[])")
            let clearChunks = sql("DELETE FROM {schema}.document_chunks WHERE document_id = ANY($1::bigint[])")
            let clearChunkMentions = sql("DELETE FROM {schema}.document_chunk_mentions WHERE document_id = ANY($1::bigint[])")
            let update = sql("""
                UPDATE {schema}.documents SET status = 'deleted', deleted_at = coalesce(deleted_at, now()),
                    lease_until = NULL, lease_holder = NULL, updated_at = now(), chunk_mentions_missing = false
                WHERE id = ANY($1::bigint[])
                """)
            updated += try await transaction("markDeleted", idempotent: true) { connection in
                let counts = try connection.executePipeline(
                    [mark, clear, clearChunks, clearChunkMentions, update].map { PostgresStatement($0, [ids]) },
                    operation: "markDeleted")
                return counts[4]
            }
        }
        return updated
    }
}
