extension RegistryStore {
    /// How to replace one kind of per-document snapshot (mentions, chunks, pairs): the rows are
    /// copied into a temporary table, then statements make the snapshot table match it for the
    /// documents replaced.
    struct SnapshotReplacement<Row: Sendable>: Sendable {
        /// The operation name errors carry.
        var operation: String
        /// The temporary table the rows are copied into.
        var table: String
        /// Its column definitions, in COPY order.
        var columns: String
        /// The column names, in COPY order.
        var columnNames: String
        /// Writes the row's fields for COPY.
        var encode: @Sendable (inout PostgresCopyWriter, Row) -> Void
        /// The statements that follow the copy, given the ids of the documents replaced; they run
        /// in order, in one round trip.
        var statements: @Sendable (_ documentIDs: [Int64]) -> [PostgresStatement]
        /// Checks the statements' row counts; what it throws rolls the replacement back.
        var verify: @Sendable (_ counts: [Int]) throws -> Void = { _ in }
    }

    /// Replaces the snapshots of `documentIDs` with `rows` (already summed and free of
    /// duplicate keys) in one transaction: COPY into the temporary table, then the replacement's
    /// statements. Safe to repeat.
    func replaceSnapshots<Row: Sendable>(of documentIDs: [Int64], with rows: [Row], _ replacement: SnapshotReplacement<Row>) async throws {
        let operation = replacement.operation
        try await transaction(operation, idempotent: true) { connection in
            try connection.ensureTemporaryTable(replacement.table, columns: replacement.columns, operation: operation)
            try connection.copyIn(
                "COPY pg_temp.\(replacement.table) (\(replacement.columnNames)) FROM STDIN", rows: rows, operation: operation,
                encode: replacement.encode)
            let counts = try connection.executePipeline(replacement.statements(documentIDs), operation: operation)
            try replacement.verify(counts)
        }
    }
}
