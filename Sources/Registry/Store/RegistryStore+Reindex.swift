import Foundation

extension RegistryStore {
    private static let reindexTable = "graphingest_reindex_found"

    /// Classifies documents against the registry as ``planReindex(roots:found:fingerprint:)``
    /// does, without looking for gone ones: what `ingest` asks per batch, at a cost proportional
    /// to the batch (an index probe per candidate), never to the registry.
    public func classify(_ found: [ReindexCandidate], fingerprint: String?) async throws -> ReindexPlan {
        try await planReindex(roots: [], found: found, fingerprint: fingerprint)
    }

    /// Plans a reindex: compares what was found on disk under `roots` with the registry.
    ///
    /// One transaction and three statements whatever the size: the candidates are copied into a
    /// temporary table, one query classifies them, one finds the registered sources under the
    /// roots that were not found (skipped without roots: it reads every document, so a reindex
    /// runs it once per run, and `ingest` never). A candidate is `unchanged` when its document is `loaded`, with
    /// the same `fingerprint` (if one is given) and the same SHA-256 (or, without a hash, the same
    /// file size and modification time); otherwise `changed`; `new` when never registered or
    /// deleted.
    ///
    /// - Parameters:
    ///   - roots: source prefixes that were scanned (`""` for everything; end a folder with `/`).
    ///   - found: what the scan found.
    ///   - fingerprint: the extractor fingerprint of this run; documents loaded with another one
    ///     are `changed`. Nil to ignore fingerprints.
    public func planReindex(roots: [String], found: [ReindexCandidate], fingerprint: String? = nil) async throws -> ReindexPlan {
        var seen = Set<String>()
        let candidates = found.filter { seen.insert($0.source).inserted }
        let table = Self.reindexTable
        let classify = classificationSQL(table)
        let gone = sql("""
            SELECT d.id, d.source FROM {schema}.documents d
            WHERE d.status <> 'deleted'
              AND EXISTS (SELECT 1 FROM unnest($1::text[]) AS r(root) WHERE starts_with(d.source, r.root))
              AND NOT EXISTS (SELECT 1 FROM pg_temp.\(table) t WHERE t.source = d.source)
            ORDER BY d.id
            """)
        let operation = "planReindex"
        let (classes, goneRows) = try await transaction(operation, idempotent: true) { connection in
            try connection.copyCandidates(candidates, into: table, operation: operation)
            let classes = try connection.query(classify, [fingerprint], operation: operation) { row in
                (try row.decode(0, as: Int.self), try row.decode(1, as: Int64?.self), try row.decode(2, as: String.self))
            }
            let goneRows = roots.isEmpty ? [] : try connection.query(gone, [roots], operation: operation) { row in
                DocumentReference(id: try row.decode(0), source: try row.decode(1))
            }
            return (classes, goneRows)
        }
        var plan = ReindexPlan()
        plan.gone = goneRows
        for (index, id, kind) in classes.sorted(by: { $0.0 < $1.0 }) {
            let candidate = candidates[index]
            switch (kind, id) {
            case ("unchanged", let id?): plan.unchanged.append(DocumentReference(id: id, source: candidate.source))
            case ("changed", let id?): plan.changed.append(ReindexPlan.Changed(id: id, candidate: candidate))
            default: plan.new.append(candidate)
            }
        }
        return plan
    }

    /// The statement that classifies the candidates copied into `table`.
    private func classificationSQL(_ table: String) -> String {
        sql("""
            SELECT t.n, d.id,
                CASE
                    WHEN d.id IS NULL OR d.status = 'deleted' THEN 'new'
                    WHEN d.status <> 'loaded' THEN 'changed'
                    WHEN $1::text IS NOT NULL AND d.fingerprint IS DISTINCT FROM $1::text THEN 'changed'
                    WHEN t.sha256 IS NOT NULL THEN CASE WHEN d.sha256 = t.sha256 THEN 'unchanged' ELSE 'changed' END
                    WHEN t.file_size = d.file_size AND t.file_mtime = d.file_mtime THEN 'unchanged'
                    ELSE 'changed'
                END
            FROM pg_temp.\(table) t LEFT JOIN {schema}.documents d ON d.source = t.source
            """)
    }

    /// The plan PostgreSQL chooses for the classification of `found` (`EXPLAIN`, one line per
    /// row): benchmarks show with it that a batch costs an index probe per candidate whatever the
    /// registry's size.
    package func explainClassification(_ found: [ReindexCandidate]) async throws -> [String] {
        let table = Self.reindexTable
        let operation = "explainClassification"
        let explain = "EXPLAIN " + classificationSQL(table)
        return try await transaction(operation, idempotent: true) { connection in
            try connection.copyCandidates(found, into: table, operation: operation)
            return try connection.query(explain, [String?.none], operation: operation) { try $0.decode(0, as: String.self) }
        }
    }
}

extension PostgresConnection {
    /// Copies candidates into the temporary table `table` (made if needed). No ANALYZE: the
    /// planner sizes a temporary table from its pages, and probes the `source` index once per
    /// candidate without statistics too (checked with EXPLAIN on a million documents).
    func copyCandidates(_ candidates: [ReindexCandidate], into table: String, operation: String) throws {
        try ensureTemporaryTable(
            table, columns: "n integer, source text, sha256 text, file_size bigint, file_mtime timestamptz",
            operation: operation)
        try copyIn(
            "COPY pg_temp.\(table) (n, source, sha256, file_size, file_mtime) FROM STDIN",
            rows: candidates.enumerated(), operation: operation
        ) { writer, item in
            writer.append(Int64(item.offset))
            writer.append(item.element.source)
            writer.append(item.element.sha256)
            writer.append(item.element.fileSize)
            writer.append(item.element.fileModified)
        }
    }
}
