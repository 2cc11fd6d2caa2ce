extension RegistryStore {
    private static let pairTable = "graphingest_pairs"
    private static let pairDeltaTable = "graphingest_pair_delta_applied"
    /// The `settings` row that holds the CO_OCCURS_WITH threshold the edges were made with.
    static let minimumCooccurrenceSetting = "min_cooccurrence"

    /// Replaces the pair snapshots of the given documents and records the difference to the
    /// corpus totals as deltas, in one transaction: after it, each document's rows in
    /// `document_pairs` are exactly the pairs given (an empty array removes the document's
    /// contribution), and the totals plus the deltas not folded yet are the sum over documents.
    /// Safe to repeat: a second run finds no difference.
    ///
    /// The totals themselves change only when ``foldPairDeltas(minimumCount:)`` adds the deltas
    /// up (each sync does, before it reads what is pending). A commit so touches no row another
    /// commit touches: updating the shared totals in every commit made concurrent commits queue
    /// on the rows of popular pairs, and was most of a commit's registry time (a document names
    /// about 1,500 pairs on the benchmark corpus).
    public func replacePairSnapshots(_ snapshots: [Int64: [PairCount]]) async throws {
        try await replaceSnapshots([pairStep(snapshots)].compactMap { $0 })
    }

    /// The step that replaces the pair snapshots and records their deltas (nil when there are
    /// none).
    func pairStep(_ snapshots: [Int64: [PairCount]]) -> SnapshotStep? {
        guard !snapshots.isEmpty else { return nil }
        var rows: [(document: Int64, pair: PairCount)] = []
        rows.reserveCapacity(snapshots.values.reduce(0) { $0 + $1.count })
        for (documentID, pairs) in snapshots {
            for pair in pairs.sorted(by: { $0.pair < $1.pair }) where pair.count > 0 {
                if let last = rows.last, last.document == documentID, last.pair.pair == pair.pair {
                    rows[rows.count - 1].pair.count += pair.count
                } else {
                    rows.append((documentID, pair))
                }
            }
        }
        let table = Self.pairTable
        // The difference, old rows subtracted from new ones, before either is touched.
        let difference = sql("""
            INSERT INTO {schema}.pair_deltas (entity_a, entity_b, count, documents)
            SELECT entity_a, entity_b, sum(count), sum(documents) FROM (
                SELECT entity_a, entity_b, count, 1 AS documents FROM pg_temp.\(table)
                UNION ALL
                SELECT entity_a, entity_b, -count, -1 FROM {schema}.document_pairs WHERE document_id = ANY($1::bigint[])
            ) AS changes
            GROUP BY entity_a, entity_b
            HAVING sum(count) <> 0 OR sum(documents) <> 0
            """)
        let removeStale = sql("""
            DELETE FROM {schema}.document_pairs p
            WHERE p.document_id = ANY($1::bigint[])
              AND NOT EXISTS (SELECT 1 FROM pg_temp.\(table) t
                              WHERE (t.document_id, t.entity_a, t.entity_b) = (p.document_id, p.entity_a, p.entity_b))
            """)
        let upsert = sql("""
            INSERT INTO {schema}.document_pairs AS p (document_id, entity_a, entity_b, count)
            SELECT document_id, entity_a, entity_b, count FROM pg_temp.\(table)
            ON CONFLICT (document_id, entity_a, entity_b) DO UPDATE SET count = excluded.count
                WHERE p.count <> excluded.count
            """)
        return snapshotStep(of: Array(snapshots.keys), with: rows, SnapshotReplacement(
            operation: "replacePairSnapshots",
            table: table,
            columns: "document_id bigint, entity_a bigint, entity_b bigint, count integer",
            columnNames: "document_id, entity_a, entity_b, count",
            encode: { writer, row in
                writer.append(row.document)
                writer.append(row.pair.pair.a)
                writer.append(row.pair.pair.b)
                writer.append(Int64(row.pair.count))
            },
            statements: { documentIDs in
                [PostgresStatement(difference, [documentIDs]), PostgresStatement(removeStale, [documentIDs]), PostgresStatement(upsert)]
            }))
    }

    /// Adds the deltas commits recorded (``replacePairSnapshots(_:)``) to the corpus totals and
    /// removes them, in one transaction: totals whose edge the graph must change (the pair holds
    /// or held an edge, or reaches `minimumCount` now) become pending, the others are left alone,
    /// and totals that fall to zero without an edge go.
    ///
    /// Safe beside commits and beside other folds: the deltas a fold takes are deleted in its
    /// statement (a concurrent fold skips them), deltas committed after it are left to the next
    /// fold, and totals are locked in pair order.
    ///
    /// - Returns: how many totals changed.
    @discardableResult
    public func foldPairDeltas(minimumCount: Int) async throws -> Int {
        let delta = Self.pairDeltaTable
        let minimum = Int64(max(1, minimumCount))
        let take = sql("""
            WITH taken AS (DELETE FROM {schema}.pair_deltas RETURNING entity_a, entity_b, count, documents)
            INSERT INTO pg_temp.\(delta) (entity_a, entity_b, count, documents)
            SELECT entity_a, entity_b, sum(count), sum(documents) FROM taken
            GROUP BY entity_a, entity_b
            HAVING sum(count) <> 0 OR sum(documents) <> 0
            """)
        // Existing totals are locked in pair order first, so that concurrent folds lock shared
        // totals in the same order, then changed; new ones are inserted (a difference can be
        // negative, which an INSERT ... ON CONFLICT would check against the constraint first).
        let lock = sql("""
            SELECT 1 FROM {schema}.pair_totals t JOIN pg_temp.\(delta) d ON (t.entity_a, t.entity_b) = (d.entity_a, d.entity_b)
            ORDER BY t.entity_a, t.entity_b FOR UPDATE OF t
            """)
        // The rows it updates are marked applied in the delta: what is left was not there when
        // it ran, and is inserted next.
        let update = sql("""
            WITH applied AS (
                UPDATE {schema}.pair_totals t SET
                    count = t.count + d.count,
                    documents = t.documents + d.documents,
                    pending = \(Self.pendingAfterFold(pending: "t.pending", graphCount: "t.graph_count", count: "t.count + d.count", minimum: "$1")),
                    revision = t.revision + 1
                FROM pg_temp.\(delta) d WHERE (t.entity_a, t.entity_b) = (d.entity_a, d.entity_b)
                RETURNING t.entity_a, t.entity_b
            )
            UPDATE pg_temp.\(delta) d SET applied = true FROM applied a WHERE (d.entity_a, d.entity_b) = (a.entity_a, a.entity_b)
            """)
        // A concurrent fold may insert the same new pair first, even after the update above
        // ran: then add to its row. (Filtering on "not there now" instead would skip a row a
        // concurrent fold inserted between the two statements, and lose this increment.)
        let insert = sql("""
            INSERT INTO {schema}.pair_totals AS t (entity_a, entity_b, count, documents, pending, revision)
            SELECT d.entity_a, d.entity_b, d.count, d.documents, d.count >= $1, 1 FROM pg_temp.\(delta) d
            WHERE NOT d.applied
            ORDER BY d.entity_a, d.entity_b
            ON CONFLICT (entity_a, entity_b) DO UPDATE SET
                count = t.count + excluded.count,
                documents = t.documents + excluded.documents,
                pending = \(Self.pendingAfterFold(pending: "t.pending", graphCount: "t.graph_count", count: "t.count + excluded.count", minimum: "$1")),
                revision = t.revision + 1
            """)
        let dropEmpty = sql("""
            DELETE FROM {schema}.pair_totals t USING pg_temp.\(delta) d
            WHERE (t.entity_a, t.entity_b) = (d.entity_a, d.entity_b) AND t.count = 0 AND NOT t.pending
            """)
        return try await transaction("foldPairDeltas", idempotent: true) { connection in
            let operation = "foldPairDeltas"
            try connection.ensureTemporaryTable(
                delta, columns: "entity_a bigint, entity_b bigint, count bigint, documents bigint, applied boolean NOT NULL DEFAULT false",
                operation: operation)
            let counts = try connection.executePipeline([
                PostgresStatement(take), PostgresStatement(lock), PostgresStatement(update, [minimum]),
                PostgresStatement(insert, [minimum]), PostgresStatement(dropEmpty),
            ], operation: operation)
            return counts.first ?? 0
        }
    }

    /// Whether a total is pending once a fold added a delta to it (SQL over the given
    /// expressions): it was, or the graph holds or may hold its edge, or its count reaches the
    /// threshold now.
    static func pendingAfterFold(pending: String, graphCount: String, count: String, minimum: String) -> String {
        "\(pending) OR \(graphCount) IS NOT NULL OR \(count) >= \(minimum)"
    }

    /// The pair totals as the next fold will leave them, as a subquery: `pair_totals` with the
    /// sums of the deltas no fold has taken yet; columns `entity_a, entity_b, count, documents,
    /// graph_count, revision, pending` (pending by ``pendingAfterFold`` against `minimum`, an SQL
    /// expression, for pairs with deltas). What `status` and `check` read, so that what commits
    /// recorded counts before a sync folds it.
    func pairTotalsWithUnfoldedDeltas(minimum: String) -> String {
        let count = "coalesce(t.count, 0) + d.count"
        return sql("""
            (SELECT coalesce(t.entity_a, d.entity_a) AS entity_a, coalesce(t.entity_b, d.entity_b) AS entity_b,
                    coalesce(t.count, 0) + coalesce(d.count, 0) AS count,
                    coalesce(t.documents, 0) + coalesce(d.documents, 0) AS documents, t.graph_count, t.revision,
                    coalesce(t.pending, false)
                        OR (d.entity_a IS NOT NULL AND (\(Self.pendingAfterFold(pending: "false", graphCount: "t.graph_count", count: count, minimum: minimum)))) AS pending
             FROM {schema}.pair_totals t
             FULL JOIN (SELECT entity_a, entity_b, sum(count) AS count, sum(documents) AS documents FROM {schema}.pair_deltas
                        GROUP BY entity_a, entity_b HAVING sum(count) <> 0 OR sum(documents) <> 0) d
               ON (t.entity_a, t.entity_b) = (d.entity_a, d.entity_b))
            """)
    }

    /// The totals of those of `pairs` that are pending (all pending pairs when nil, at most
    /// `limit`, after `after`), sorted.
    public func pendingPairTotals(among pairs: [EntityPair]?, after: EntityPair? = nil, limit: Int = 10_000) async throws -> [PairTotal] {
        let columns = "t.entity_a, t.entity_b, t.count, t.documents, t.graph_count, t.revision"
        if let pairs {
            guard !pairs.isEmpty else { return [] }
            let query = sql("""
                SELECT \(columns) FROM {schema}.pair_totals t
                JOIN unnest($1::bigint[], $2::bigint[]) AS p (a, b) ON (t.entity_a, t.entity_b) = (p.a, p.b)
                WHERE t.pending ORDER BY t.entity_a, t.entity_b
                """)
            let first = pairs.map(\.a)
            let second = pairs.map(\.b)
            return try await transaction("pendingPairTotals", idempotent: true) { connection in
                try connection.query(query, [first, second], operation: "pendingPairTotals", decode: PairTotal.init(row:))
            }
        }
        let start = after ?? EntityPair(Int64.min, Int64.min)
        let query = sql("""
            SELECT \(columns) FROM {schema}.pair_totals t
            WHERE t.pending AND (t.entity_a, t.entity_b) > ($1, $2)
            ORDER BY t.entity_a, t.entity_b LIMIT $3
            """)
        return try await transaction("pendingPairTotals", idempotent: true) { connection in
            try connection.query(query, [start.a, start.b, Int64(limit)], operation: "pendingPairTotals", decode: PairTotal.init(row:))
        }
    }

    /// Records, before a sync creates the edges of `pairs` (pairs the graph has no edge for, as
    /// far as the registry knows), that the graph may hold them from now on: `graph_count` 0, an
    /// edge of unknown count. A sync that does not record its write afterwards (a crash, or
    /// totals that moved meanwhile) is then followed by one that merges these edges rather than
    /// creating them a second time. Leaves the revision alone.
    public func markEdgesUncertain(_ pairs: [EntityPair]) async throws {
        guard !pairs.isEmpty else { return }
        let query = sql("""
            UPDATE {schema}.pair_totals t SET graph_count = 0
            FROM unnest($1::bigint[], $2::bigint[]) AS p (a, b)
            WHERE (t.entity_a, t.entity_b) = (p.a, p.b) AND t.graph_count IS NULL
            """)
        let first = pairs.map(\.a)
        let second = pairs.map(\.b)
        try await transaction("markEdgesUncertain", idempotent: true) { connection in
            _ = try connection.execute(query, [first, second], operation: "markEdgesUncertain")
        }
    }

    /// Records that the graph now holds `totals` (an edge for those at `minimumCount` or more,
    /// none for the others): each pair stops being pending unless its totals changed since they
    /// were read (its revision moved), and totals of zero go.
    public func markPairsWritten(_ totals: [PairTotal], minimumCount: Int) async throws {
        guard !totals.isEmpty else { return }
        let update = sql("""
            UPDATE {schema}.pair_totals t
            SET pending = false, graph_count = CASE WHEN t.count >= $4 THEN t.count END
            FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS p (a, b, revision)
            WHERE (t.entity_a, t.entity_b, t.revision) = (p.a, p.b, p.revision)
            """)
        let dropEmpty = sql("""
            DELETE FROM {schema}.pair_totals t USING unnest($1::bigint[], $2::bigint[]) AS p (a, b)
            WHERE (t.entity_a, t.entity_b) = (p.a, p.b) AND t.count = 0 AND NOT t.pending
            """)
        let first = totals.map(\.pair.a)
        let second = totals.map(\.pair.b)
        let revisions = totals.map(\.revision)
        let minimum = Int64(max(1, minimumCount))
        try await transaction("markPairsWritten", idempotent: true) { connection in
            _ = try connection.executePipeline([
                PostgresStatement(update, [first, second, revisions, minimum]), PostgresStatement(dropEmpty, [first, second]),
            ], operation: "markPairsWritten")
        }
    }

    /// Makes `minimumCount` the threshold in force. When it differs from the one the edges were
    /// made with, every pair whose edge it creates or removes becomes pending (and is written by
    /// the next sync); the first call records it.
    ///
    /// - Returns: how many pairs became pending.
    @discardableResult
    public func applyCooccurrenceThreshold(_ minimumCount: Int) async throws -> Int {
        let minimum = Int64(max(1, minimumCount))
        let name = Self.minimumCooccurrenceSetting
        let current = sql("SELECT value FROM {schema}.settings WHERE name = $1 FOR UPDATE")
        let store = sql("""
            INSERT INTO {schema}.settings (name, value) VALUES ($1, $2)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value
            """)
        let mark = sql("""
            UPDATE {schema}.pair_totals SET pending = true, revision = revision + 1
            WHERE NOT pending AND (count >= $1) <> (graph_count IS NOT NULL)
            """)
        return try await transaction("applyCooccurrenceThreshold", idempotent: true) { connection in
            let operation = "applyCooccurrenceThreshold"
            let stored = try connection.query(current, [name], operation: operation) { row -> String in try row.decode(0) }.first
            guard stored != String(minimum) else { return 0 }
            // Take the row lock before anyone else can (a first insert takes none to wait on).
            _ = try connection.execute(store, [name, String(minimum)], operation: operation)
            return try connection.execute(mark, [minimum], operation: operation)
        }
    }

    /// The threshold the edges are made with, once a run has set it.
    public func cooccurrenceThreshold() async throws -> Int? {
        let query = sql("SELECT value FROM {schema}.settings WHERE name = $1")
        let value = try await transaction("cooccurrenceThreshold", idempotent: true) { connection in
            try connection.query(query, [Self.minimumCooccurrenceSetting], operation: "cooccurrenceThreshold") { row -> String in try row.decode(0) }.first
        }
        return value.flatMap { Int($0) }
    }

    /// The pair snapshots of the given documents (documents without pairs map to `[]`).
    public func pairSnapshot(documentIDs: [Int64]) async throws -> [Int64: [PairCount]] {
        var snapshots: [Int64: [PairCount]] = [:]
        for id in documentIDs { snapshots[id] = [] }
        let query = sql("""
            SELECT document_id, entity_a, entity_b, count FROM {schema}.document_pairs
            WHERE document_id = ANY($1::bigint[]) ORDER BY document_id, entity_a, entity_b
            """)
        for batch in batches(documentIDs) {
            let ids = Array(batch)
            let rows = try await transaction("pairSnapshot", idempotent: true) { connection in
                try connection.query(query, [ids], operation: "pairSnapshot") { row -> (Int64, PairCount) in
                    (try row.decode(0), PairCount(pair: EntityPair(try row.decode(1), try row.decode(2)), count: try row.decode(3)))
                }
            }
            for (document, pair) in rows { snapshots[document, default: []].append(pair) }
        }
        return snapshots
    }

    /// The totals at `minimumCount` or more (the edges the graph should hold), sorted, a page
    /// of at most `limit` after `after`.
    public func pairTotals(atLeast minimumCount: Int, after: EntityPair? = nil, limit: Int = 100_000) async throws -> [PairTotal] {
        let start = after ?? EntityPair(Int64.min, Int64.min)
        let query = sql("""
            SELECT entity_a, entity_b, count, documents, graph_count, revision FROM {schema}.pair_totals
            WHERE count >= $3 AND (entity_a, entity_b) > ($1, $2)
            ORDER BY entity_a, entity_b LIMIT $4
            """)
        return try await transaction("pairTotals", idempotent: true) { connection in
            try connection.query(query, [start.a, start.b, Int64(max(1, minimumCount)), Int64(limit)],
                                 operation: "pairTotals", decode: PairTotal.init(row:))
        }
    }

    /// Pairs whose totals, with the deltas not folded yet, differ from the sum of the documents'
    /// pair counts (empty in a consistent registry), with the totals the documents give (zero
    /// for a pair no document holds any more), sorted. One statement, so one snapshot: commits
    /// running beside it show no drift.
    public func driftedPairTotals() async throws -> [PairTotal] {
        let query = sql("""
            SELECT coalesce(s.entity_a, t.entity_a), coalesce(s.entity_b, t.entity_b),
                   coalesce(s.count, 0), coalesce(s.documents, 0), t.graph_count, coalesce(t.revision, 0)
            FROM (SELECT entity_a, entity_b, sum(count) AS count, count(*) AS documents
                  FROM {schema}.document_pairs GROUP BY entity_a, entity_b) s
            FULL JOIN \(pairTotalsWithUnfoldedDeltas(minimum: "1")) t ON (s.entity_a, s.entity_b) = (t.entity_a, t.entity_b)
            WHERE (s.count, s.documents) IS DISTINCT FROM (t.count, t.documents)
              AND NOT (s.entity_a IS NULL AND t.count = 0 AND t.documents = 0)
            ORDER BY 1, 2
            """)
        return try await transaction("driftedPairTotals", idempotent: true) { connection in
            try connection.query(query, operation: "driftedPairTotals", decode: PairTotal.init(row:))
        }
    }

    /// Sets the totals of `pairs` to the sums of the documents' pair counts and makes them
    /// pending (``driftedPairTotals()``'s repair); the next sync writes their edges. The pairs'
    /// unfolded deltas are dropped in the same statement (one snapshot: the sums include exactly
    /// the commits whose deltas it drops).
    public func recomputePairTotals(_ pairs: [EntityPair]) async throws {
        guard !pairs.isEmpty else { return }
        let query = sql("""
            WITH dropped AS (
                DELETE FROM {schema}.pair_deltas d USING unnest($1::bigint[], $2::bigint[]) AS p (a, b)
                WHERE (d.entity_a, d.entity_b) = (p.a, p.b)
            )
            INSERT INTO {schema}.pair_totals AS t (entity_a, entity_b, count, documents, pending, revision)
            SELECT p.a, p.b, coalesce(s.count, 0), coalesce(s.documents, 0), true, 1
            FROM unnest($1::bigint[], $2::bigint[]) AS p (a, b)
            LEFT JOIN LATERAL (SELECT sum(count) AS count, count(*) AS documents FROM {schema}.document_pairs d
                               WHERE (d.entity_a, d.entity_b) = (p.a, p.b)) s ON true
            ORDER BY p.a, p.b
            ON CONFLICT (entity_a, entity_b) DO UPDATE SET
                count = excluded.count, documents = excluded.documents, pending = true, revision = t.revision + 1
            """)
        let first = pairs.map(\.a)
        let second = pairs.map(\.b)
        try await transaction("recomputePairTotals", idempotent: true) { connection in
            _ = try connection.execute(query, [first, second], operation: "recomputePairTotals")
        }
    }

    /// Makes `pairs` pending, so that the next sync writes their edges again (a repair of edges
    /// the graph lost or changed).
    public func markPairsPending(_ pairs: [EntityPair]) async throws {
        guard !pairs.isEmpty else { return }
        let query = sql("""
            UPDATE {schema}.pair_totals t SET pending = true, revision = t.revision + 1
            FROM unnest($1::bigint[], $2::bigint[]) AS p (a, b)
            WHERE (t.entity_a, t.entity_b) = (p.a, p.b)
            """)
        let first = pairs.map(\.a)
        let second = pairs.map(\.b)
        try await transaction("markPairsPending", idempotent: true) { connection in
            _ = try connection.execute(query, [first, second], operation: "markPairsPending")
        }
    }
}

extension PairTotal {
    /// Decodes `entity_a, entity_b, count, documents, graph_count, revision`.
    init(row: PostgresRow) throws {
        self.init(pair: EntityPair(try row.decode(0), try row.decode(1)), count: try row.decode(2), documents: try row.decode(3),
                  graphCount: try row.decode(4), revision: try row.decode(5))
    }
}

extension RegistryStore {
    /// Runs `body` while this process holds the schema's co-occurrence lock, so that the edge
    /// syncs of several processes never interleave: each reads the pending totals, writes them to
    /// the graph and marks them written before the next one reads.
    public func withCooccurrenceLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withAdvisoryLock("cooccurrence", body)
    }

    /// Runs `body` while this process holds the schema's graph-write lock: the writes that touch
    /// shared Entity nodes (entities, MENTIONS, chunks with FROM_CHUNK, CO_OCCURS_WITH) go one at
    /// a time across processes, as the graph writer's lane makes them go within one. ArcadeDB
    /// fails concurrent writers to one vertex ("DeadlockDetected: edge-append rebase not
    /// possible"), and two processes whose batches share popular entities kept failing each
    /// other past every retry.
    public func withGraphWriteLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withAdvisoryLock("graph-writes", body)
    }

    /// Runs `body` holding a session-level PostgreSQL advisory lock named after this schema and
    /// `name`, on a connection of its own. Released when `body` ends, or by the server when the
    /// connection (or the process) is lost.
    func withAdvisoryLock<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
        let key = "\(schema.name).\(name)"
        return try await pool.withConnection { connection in
            _ = try await connection.run("advisoryLock") { try $0.execute("SELECT pg_advisory_lock(hashtext($1))", [key], operation: "advisoryLock") }
            do {
                let value = try await body()
                _ = try? await connection.run("advisoryUnlock") { try $0.execute("SELECT pg_advisory_unlock(hashtext($1))", [key], operation: "advisoryUnlock") }
                return value
            } catch {
                _ = try? await connection.run("advisoryUnlock") { try $0.execute("SELECT pg_advisory_unlock(hashtext($1))", [key], operation: "advisoryUnlock") }
                throw error
            }
        }
    }
}
