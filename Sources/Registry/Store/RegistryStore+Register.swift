extension RegistryStore {
    /// How to register one kind of keyed row (documents by source, entities by key).
    struct Registration<Row: Sendable, Value: Sendable>: Sendable {
        /// The operation name errors carry.
        var operation: String
        /// The temporary table the rows are copied into.
        var table: String
        /// Its column definitions, in COPY order.
        var columns: String
        /// The column names, in COPY order.
        var columnNames: String
        /// `INSERT ... ON CONFLICT ... RETURNING` that yields a row starting `(id, key)` for every
        /// input row.
        var insert: String
        /// A lookup by `$1::text[]` keys with the same columns as `insert`, for rows inserted
        /// concurrently.
        var lookup: String
        /// The row's unique key.
        var key: @Sendable (Row) -> String
        /// What a row of `insert` or `lookup` says of its key.
        var decode: @Sendable (PostgresRow) throws -> Value
        /// Writes the row's fields for COPY.
        var encode: @Sendable (inout PostgresCopyWriter, Row) -> Void
    }

    /// Registers `rows` (already free of duplicate keys) batch by batch: COPY into the
    /// temporary table, then one insert that returns every id. Safe to repeat.
    func register<Row: Sendable, Value: Sendable>(_ rows: [Row], _ registration: Registration<Row, Value>) async throws -> [String: Value] {
        var ids: [String: Value] = [:]
        ids.reserveCapacity(rows.count)
        let operation = registration.operation
        for batch in batches(rows) {
            let rows = Array(batch)
            let found = try await transaction(operation, idempotent: true) { connection in
                try connection.ensureTemporaryTable(registration.table, columns: registration.columns, operation: operation)
                try connection.copyIn(
                    "COPY pg_temp.\(registration.table) (\(registration.columnNames)) FROM STDIN",
                    rows: rows, operation: operation, encode: registration.encode)
                let decode: (PostgresRow) throws -> (String, Value) = {
                    (try $0.decode(1, as: String.self), try registration.decode($0))
                }
                var found = try connection.query(registration.insert, operation: operation, decode: decode)
                let known = Set(found.map(\.0))
                if known.count < rows.count {
                    // A concurrent transaction inserted some keys after this statement's
                    // snapshot: the insert skipped them and the join could not see them, so
                    // look them up again with a fresh snapshot.
                    let missing = rows.map(registration.key).filter { !known.contains($0) }
                    found += try connection.query(registration.lookup, [missing], operation: operation, decode: decode)
                }
                return found
            }
            for (key, id) in found { ids[key] = id }
        }
        return ids
    }

    /// Looks ids up by key with `query` (`SELECT key, id ... WHERE key = ANY($1::text[])`).
    func lookUp(_ keys: [String], operation: String, query: String) async throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for batch in batches(keys) {
            let list = Array(batch)
            let rows = try await transaction(operation, idempotent: true) { connection in
                try connection.query(query, [list], operation: operation) {
                    (try $0.decode(0, as: String.self), try $0.decode(1, as: Int64.self))
                }
            }
            for (key, id) in rows { ids[key] = id }
        }
        return ids
    }
}
