internal import Bolt
import PackStream

/// The writes of `graphingest check --repair`. Each is idempotent, batched like the pipeline's
/// writes, and goes through the shared lane when it touches Entity nodes or MENTIONS.
extension GraphWriter {
    /// Deletes every MENTIONS whose ends are not a Document and an Entity; returns how many.
    public func deleteDanglingMentions() async throws -> Int {
        try await shared { try await self.count(GraphCypher.deleteDanglingMentions, [:]) }
    }

    /// Keeps one Document node per id in `ids` (the one with the most MENTIONS) and deletes
    /// the others; returns how many nodes were deleted.
    public func collapseDuplicateDocuments(_ ids: [Int64]) async throws -> Int {
        try await collapse(ids, GraphCypher.collapseDuplicateDocuments)
    }

    /// Keeps one Entity node per id in `ids` (the one with the most MENTIONS) and deletes the
    /// others; returns how many nodes were deleted.
    public func collapseDuplicateEntities(_ ids: [Int64]) async throws -> Int {
        try await collapse(ids, GraphCypher.collapseDuplicateEntities)
    }

    /// Deletes Entity nodes with their relationships, mentioned or not.
    public func deleteEntities(_ ids: [Int64]) async throws {
        for batch in planner.batches(of: ids, lockKey: { $0 }, estimatedBytes: { _ in 9 }) {
            try await shared {
                try await self.execute([(GraphCypher.deleteEntities, ["ids": .value(.list(batch.map { .integer($0) }))])])
            }
        }
    }

    /// Rewrites Document nodes from the registry's rows (creating missing ones), keeping a
    /// node's title; returns the rows that failed on their own.
    public func restoreDocuments(_ rows: [GraphDocumentRow]) async throws -> [RejectedRow<GraphDocumentRow>] {
        var rejected: [RejectedRow<GraphDocumentRow>] = []
        for batch in planner.batches(of: rows, lockKey: \.id, estimatedBytes: \.estimatedBytes) {
            rejected += try await writeIsolatingFailures(batch, isRowError: Self.isRowError, describe: Self.describe) { rows in
                try await self.execute([(GraphCypher.restoreDocuments, ["rows": .rows(rows)])])
            }
        }
        return rejected
    }

    /// Deletes the MENTIONS of the given (document, entity) pairs (every parallel one too).
    public func deleteMentionPairs(_ pairs: [GraphMentionRow]) async throws {
        try await shared {
            for batch in self.planner.batches(of: pairs, lockKey: \.entityID, estimatedBytes: \.estimatedBytes) {
                try await self.execute([(GraphCypher.deleteMentionPairs, ["rows": .rows(batch)])])
            }
        }
    }

    /// Sets the counts of MENTIONS (creating missing ones between existing nodes), keeping the
    /// offsets already on a relationship; returns the rows that failed on their own.
    public func restoreMentionCounts(_ rows: [GraphMentionRow]) async throws -> [RejectedRow<GraphMentionRow>] {
        try await shared {
            var rejected: [RejectedRow<GraphMentionRow>] = []
            for batch in self.planner.batches(of: rows, lockKey: \.entityID, estimatedBytes: \.estimatedBytes) {
                rejected += try await writeIsolatingFailures(batch, isRowError: Self.isRowError, describe: Self.describe) { rows in
                    try await self.execute([(GraphCypher.restoreMentionCounts, ["rows": .rows(rows)])])
                }
            }
            return rejected
        }
    }

    private func collapse(_ ids: [Int64], _ query: String) async throws -> Int {
        var deleted = 0
        for batch in planner.batches(of: ids, lockKey: { $0 }, estimatedBytes: { _ in 9 }) {
            deleted += try await shared {
                try await self.count(query, ["ids": .value(.list(batch.map { .integer($0) }))])
            }
        }
        return deleted
    }

    /// Runs a write that returns one count in a managed write transaction.
    func count(_ query: String, _ parameters: [String: PackStreamParameter]) async throws -> Int {
        try await client.withSession(database: database) { session in
            try await session.executeWrite { transaction in
                let records = try await transaction.run(query, parameters: parameters).collect()
                return records.reduce(0) { $0 + Int($1.values.first?.intValue ?? 0) }
            }
        }
    }
}
