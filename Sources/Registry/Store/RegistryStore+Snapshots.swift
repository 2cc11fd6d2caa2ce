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

    /// One replacement ready to run inside a transaction: the snapshots of some documents, with
    /// their rows (already summed and free of duplicate keys).
    struct SnapshotStep: Sendable {
        var operation: String
        var run: @Sendable (isolated PostgresConnection) throws -> Void
    }

    /// The step that replaces the snapshots of `documentIDs` with `rows`: COPY into the temporary
    /// table, then the replacement's statements.
    func snapshotStep<Row: Sendable>(of documentIDs: [Int64], with rows: [Row], _ replacement: SnapshotReplacement<Row>) -> SnapshotStep {
        SnapshotStep(operation: replacement.operation) { connection in
            let operation = replacement.operation
            try connection.ensureTemporaryTable(replacement.table, columns: replacement.columns, operation: operation)
            try connection.copyIn(
                "COPY pg_temp.\(replacement.table) (\(replacement.columnNames)) FROM STDIN", rows: rows, operation: operation,
                encode: replacement.encode)
            let counts = try connection.executePipeline(replacement.statements(documentIDs), operation: operation)
            try replacement.verify(counts)
        }
    }

    /// Runs the steps in one transaction. Safe to repeat.
    func replaceSnapshots(_ steps: [SnapshotStep]) async throws {
        guard !steps.isEmpty else { return }
        try await transaction(steps.map(\.operation).joined(separator: "+"), idempotent: true) { connection in
            for step in steps { try step.run(connection) }
        }
    }

    /// Replaces the mention and the chunk snapshots of the given documents in one transaction
    /// (see ``replaceMentionSnapshots(_:)`` and ``replaceChunkSnapshots(_:)``): what a commit
    /// records of its documents before their pairs. Safe to repeat.
    public func replaceMentionAndChunkSnapshots(mentions: [Int64: [MentionCount]], chunks: [Int64: [ChunkRecord]]) async throws {
        try await replaceSnapshots([mentionStep(mentions), chunkStep(chunks)].compactMap { $0 })
    }
}
