extension RegistryStore {
    /// Registry-wide totals for `graphingest status`.
    public struct Totals: Sendable, Hashable {
        /// Registered entity keys.
        public var entities: Int
        /// Rows of the mention snapshots: the MENTIONS relationships the graph should hold.
        public var mentionRelationships: Int
        /// The sum of their counts: the mentions the graph should hold.
        public var mentions: Int
        /// Entity pairs that share a window somewhere in the corpus.
        public var pairs = 0
        /// Pairs whose totals reach the threshold: the CO_OCCURS_WITH relations the graph should hold.
        public var relations = 0
        /// Pairs whose edge a run has not written yet (a run is writing them, or one stopped).
        public var pendingRelations = 0
        /// The `--min-cooccurrence` in force (nil before the first run).
        public var minimumCooccurrence: Int?
    }

    /// Counts entities, mention snapshot rows and pairs in one round trip (one snapshot). Pairs
    /// count with the deltas commits recorded and no sync has folded yet, as the next fold will
    /// leave them: their totals, and pending when their edge changes.
    public func totals() async throws -> Totals {
        let query = sql("""
            WITH threshold AS (SELECT coalesce((SELECT value::bigint FROM {schema}.settings WHERE name = $1), 1) AS minimum),
            pairs AS (SELECT * FROM \(pairTotalsWithUnfoldedDeltas(minimum: "(SELECT minimum FROM threshold)")) p)
            SELECT (SELECT count(*) FROM {schema}.entities),
                   (SELECT count(*) FROM {schema}.document_mentions),
                   (SELECT coalesce(sum(count), 0) FROM {schema}.document_mentions),
                   (SELECT value::bigint FROM {schema}.settings WHERE name = $1),
                   (SELECT count(*) FROM pairs WHERE count > 0),
                   (SELECT count(*) FROM pairs, threshold WHERE count >= minimum),
                   (SELECT count(*) FROM pairs WHERE pending)
            """)
        let rows = try await transaction("totals", idempotent: true) { connection in
            try connection.query(query, [Self.minimumCooccurrenceSetting], operation: "totals") {
                Totals(entities: try $0.decode(0, as: Int.self), mentionRelationships: try $0.decode(1, as: Int.self),
                       mentions: try $0.decode(2, as: Int.self), pairs: try $0.decode(4, as: Int.self),
                       relations: try $0.decode(5, as: Int.self), pendingRelations: try $0.decode(6, as: Int.self),
                       minimumCooccurrence: try $0.decode(3, as: Int?.self))
            }
        }
        return rows.first ?? Totals(entities: 0, mentionRelationships: 0, mentions: 0)
    }
}

extension RegistryStore {
    /// Checks that PostgreSQL answers (`SELECT 1`); needs no schema.
    public func ping() async throws {
        _ = try await transaction("ping", idempotent: true) { connection in
            try connection.query("SELECT 1", [], operation: "ping") { try $0.decode(0, as: Int.self) }
        }
    }

    /// Whether `graphingest init` has created the schema.
    public func isMigrated() async throws -> Bool {
        let rows = try await transaction("isMigrated", idempotent: true) { connection in
            try connection.query("SELECT to_regclass($1::text) IS NOT NULL", ["\(self.schema.name).schema_migrations"],
                                 operation: "isMigrated") { try $0.decode(0, as: Bool.self) }
        }
        return rows.first ?? false
    }
}
