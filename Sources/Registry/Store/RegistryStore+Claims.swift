import Foundation

extension RegistryStore {
    /// Claims the documents of a batch the caller has read, for `holder`, for `lease`.
    ///
    /// In one transaction: registers the sources not known yet, locks the batch's rows in id
    /// order, and sorts them into those loaded with the same content and fingerprint (nothing to
    /// do), those another live worker holds (`lease_is_live`: its lease has not expired, and its
    /// liveness lock, if it took one, is held), and the rest, which it
    /// sets to `indexing` under the caller's lease (a tombstone is revived). Concurrent claims of
    /// one source wait for each other, so one worker at a time gets a document. Safe to repeat:
    /// the caller's own leases are claimable by the caller again.
    ///
    /// A source that `run` has loaded already (with other content: the same content is
    /// unchanged) is left as it is and reported in ``ClaimOutcome/loadedByRun``: a corpus that
    /// holds a source twice keeps the first.
    public func claimDocuments(_ documents: [DocumentRegistration], fingerprint: String?, holder: String,
                               lease: Duration, run: Int64? = nil) async throws -> ClaimOutcome {
        var seen = Set<String>()
        let unique = documents.filter { seen.insert($0.source).inserted }
        let table = "graphingest_claim_documents"
        let insert = sql("""
            INSERT INTO {schema}.documents (source, sha256, bytes, charset, file_size, file_mtime)
            SELECT source, sha256, bytes, charset, file_size, file_mtime FROM pg_temp.\(table)
            ORDER BY source  -- one lock order for concurrent writers (no 40P01 deadlocks)
            ON CONFLICT (source) DO NOTHING
            """)
        // A fresh snapshot (READ COMMITTED) sees what concurrent claims committed; FOR UPDATE
        // waits for a claim in progress and then reads the row as it committed it.
        let claim = sql("""
            WITH batch AS (
                SELECT d.id, d.source, d.version, d.loaded_run,
                       coalesce(d.status = 'loaded' AND d.sha256 = c.sha256 AND d.fingerprint IS NOT DISTINCT FROM $1, false) AS unchanged,
                       coalesce(d.status = 'indexing' AND d.lease_holder IS DISTINCT FROM $2
                                AND {schema}.lease_is_live(d.lease_holder, d.lease_until), false) AS held,
                       coalesce(d.status = 'loaded' AND d.loaded_run = $4, false) AS loaded_by_run
                FROM pg_temp.\(table) c JOIN {schema}.documents d ON d.source = c.source
                ORDER BY d.id
                FOR UPDATE OF d
            ), claimed AS (
                UPDATE {schema}.documents d
                SET status = 'indexing', lease_holder = $2, lease_until = clock_timestamp() + make_interval(secs => $3),
                    deleted_at = NULL, updated_at = now()
                FROM batch WHERE d.id = batch.id AND NOT batch.unchanged AND NOT batch.held AND NOT batch.loaded_by_run
            )
            SELECT id, source, version, loaded_run, unchanged, held, loaded_by_run FROM batch
            """)
        var outcome = ClaimOutcome()
        for batch in batches(unique) {
            let rows = Array(batch)
            let found = try await transaction("claimDocuments", idempotent: true) { connection in
                try connection.ensureTemporaryTable(
                    table, columns: "source text, sha256 text, bytes bigint, charset text, file_size bigint, file_mtime timestamptz",
                    operation: "claimDocuments")
                try connection.copyIn(
                    "COPY pg_temp.\(table) (source, sha256, bytes, charset, file_size, file_mtime) FROM STDIN",
                    rows: rows, operation: "claimDocuments", encode: DocumentRegistration.copy)
                try connection.execute(insert, operation: "claimDocuments")
                return try connection.query(claim, [fingerprint, holder, lease / .seconds(1), run], operation: "claimDocuments") { row in
                    (source: try row.decode(1, as: String.self),
                     document: RegisteredDocument(id: try row.decode(0), version: try row.decode(2), loadedRun: try row.decode(3)),
                     unchanged: try row.decode(4, as: Bool.self), held: try row.decode(5, as: Bool.self),
                     loadedByRun: try row.decode(6, as: Bool.self))
                }
            }
            for row in found {
                if row.unchanged {
                    outcome.unchanged.insert(row.source)
                } else if row.held {
                    outcome.heldByOthers[row.source] = row.document.id
                } else if row.loadedByRun {
                    outcome.loadedByRun.insert(row.source)
                } else {
                    outcome.claimed[row.source] = row.document
                }
            }
        }
        return outcome
    }

    /// Marks the documents `holder` still holds, by source, as failed with their reasons (they
    /// failed before a commit: unreadable, or extraction failed), clearing the lease. Safe to
    /// repeat.
    @discardableResult
    public func failClaimed(_ failures: [(source: String, error: String)], holder: String) async throws -> Int {
        guard !failures.isEmpty else { return 0 }
        let update = sql("""
            UPDATE {schema}.documents d SET status = 'failed', error = u.error, lease_until = NULL, lease_holder = NULL, updated_at = now()
            FROM unnest($1::text[], $2::text[]) AS u(source, error)
            WHERE d.source = u.source AND d.status = 'indexing' AND d.lease_holder = $3
            """)
        var updated = 0
        for batch in batches(failures) {
            let sources = batch.map(\.source)
            let errors = batch.map(\.error)
            updated += try await transaction("failClaimed", idempotent: true) { connection in
                try connection.execute(update, [sources, errors, holder], operation: "failClaimed")
            }
        }
        return updated
    }

    /// Gives back every document `holder` still holds (status `pending` again, no lease), as a
    /// worker does when it stops. Safe to repeat.
    @discardableResult
    public func releaseLeases(holder: String) async throws -> Int {
        let update = sql("""
            UPDATE {schema}.documents SET status = 'pending', lease_until = NULL, lease_holder = NULL, updated_at = now()
            WHERE status = 'indexing' AND lease_holder = $1
            """)
        return try await transaction("releaseLeases", idempotent: true) { connection in
            try connection.execute(update, [holder], operation: "releaseLeases")
        }
    }

    /// Where the given documents stand for a worker that set them aside: those another live
    /// worker than `holder` still holds (its lease has not expired, and its liveness lock, if it
    /// took one, is held), and those free to take up (back in the queue, their lease expired or
    /// their holder dead). The rest were settled by their holder
    /// (loaded, failed or deleted) and need nothing more.
    public func setAsideStates(_ documentIDs: [Int64], holder: String) async throws -> (held: Set<Int64>, free: Set<Int64>) {
        let query = sql("""
            SELECT id, status = 'indexing' AND lease_holder IS DISTINCT FROM $2 AND {schema}.lease_is_live(lease_holder, lease_until)
            FROM {schema}.documents
            WHERE id = ANY($1::bigint[]) AND (status IN ('pending', 'indexing'))
            """)
        var held = Set<Int64>()
        var free = Set<Int64>()
        for batch in batches(documentIDs) {
            let ids = Array(batch)
            let rows = try await transaction("setAsideStates", idempotent: true) { connection in
                try connection.query(query, [ids, holder], operation: "setAsideStates") { (try $0.decode(0, as: Int64.self), try $0.decode(1, as: Bool.self)) }
            }
            for (id, isHeld) in rows {
                if isHeld { held.insert(id) } else { free.insert(id) }
            }
        }
        return (held, free)
    }

    /// The documents in `indexing`, oldest lease first: who holds them and until when.
    public func leasedDocuments(limit: Int) async throws -> [LeasedDocument] {
        let query = sql("""
            SELECT id, source, lease_holder, lease_until FROM {schema}.documents
            WHERE status = 'indexing' ORDER BY lease_until LIMIT $1
            """)
        return try await transaction("leasedDocuments", idempotent: true) { connection in
            try connection.query(query, [limit], operation: "leasedDocuments") { row in
                LeasedDocument(id: try row.decode(0), source: try row.decode(1), holder: try row.decode(2), leaseUntil: try row.decode(3))
            }
        }
    }
}

extension DocumentRegistration {
    /// Writes a registration's fields for COPY, in the order `source, sha256, bytes, charset,
    /// file_size, file_mtime`.
    @Sendable static func copy(_ writer: inout PostgresCopyWriter, _ row: DocumentRegistration) {
        writer.append(row.source)
        writer.append(row.sha256)
        writer.append(row.bytes)
        writer.append(row.charset)
        writer.append(row.fileSize)
        writer.append(row.fileModified)
    }
}

/// What ``RegistryStore/claimDocuments(_:fingerprint:holder:lease:)`` found for a batch.
public struct ClaimOutcome: Sendable {
    /// The sources the caller now holds, to extract and load: id, last version and run.
    public var claimed: [String: RegisteredDocument] = [:]
    /// Sources loaded with the same content and fingerprint: nothing to do.
    public var unchanged: Set<String> = []
    /// Sources another live worker holds, with their ids: the caller comes back to them.
    public var heldByOthers: [String: Int64] = [:]
    /// Sources the claim's run has loaded already, with other content: left as they are.
    public var loadedByRun: Set<String> = []

    public init() {}
}

/// A document in `indexing`: who holds it, until when.
public struct LeasedDocument: Sendable, Hashable {
    public var id: Int64
    public var source: String
    /// The worker holding it (`host:pid:start`), when the claim named one.
    public var holder: String?
    public var leaseUntil: Date?
}
