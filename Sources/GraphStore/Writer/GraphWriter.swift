public import Bolt
import PackStream

/// Writes the graph model through a Bolt client: nodes in batches of `UNWIND $rows ... MERGE`,
/// a document's MENTIONS deleted and created again in one transaction, all in explicit
/// transactions retried on transient errors, with failing rows isolated by halving.
///
/// Entity and MENTIONS batches go through one lane (see ``GraphWriterOptions/serializeSharedWrites``):
/// they lock shared Entity nodes, and on ArcadeDB concurrent writers to the same vertex fail each
/// other with DeadlockDetected.
public final class GraphWriter: Sendable {
    /// The client the writer uses; the caller owns its lifetime.
    public let client: BoltClient
    /// The database to write to (nil for the server's default).
    public let database: String?
    public let planner: GraphBatchPlanner
    private let sharedLane: AsyncLane?

    /// - Parameters:
    ///   - serializeSharedWrites: run entity and MENTIONS batches one at a time across all
    ///     callers (documents still write in parallel).
    public init(client: BoltClient, database: String?, planner: GraphBatchPlanner = GraphBatchPlanner(), serializeSharedWrites: Bool = true) {
        self.client = client
        self.database = database
        self.planner = planner
        self.sharedLane = serializeSharedWrites ? AsyncLane() : nil
    }

    /// The documents of one batch whose MENTIONS are replaced together.
    public struct DocumentMentions: Sendable {
        public var documentID: Int64
        public var mentions: [GraphMentionRow]

        public init(documentID: Int64, mentions: [GraphMentionRow]) {
            self.documentID = documentID
            self.mentions = mentions
        }
    }

    /// Creates the uniqueness constraints of `dialect` (idempotent).
    public func createConstraints(dialect: GraphDialect) async throws {
        try await client.withSession(database: database) { session in
            for statement in dialect.uniquenessConstraintStatements {
                _ = try await session.run(statement).consume()
            }
        }
    }

    /// Merges Document nodes; returns the rows that failed on their own.
    public func writeDocuments(_ rows: [GraphDocumentRow]) async throws -> [RejectedRow<GraphDocumentRow>] {
        var rejected: [RejectedRow<GraphDocumentRow>] = []
        for batch in planner.batches(of: rows, lockKey: \.id, estimatedBytes: \.estimatedBytes) {
            rejected += try await isolating(batch) { rows in
                try await self.execute([(GraphCypher.mergeDocuments, ["rows": .rows(rows)])])
            }
        }
        return rejected
    }

    /// Merges Entity nodes; returns the rows that failed on their own.
    public func writeEntities(_ rows: [GraphEntityRow]) async throws -> [RejectedRow<GraphEntityRow>] {
        try await shared {
            var rejected: [RejectedRow<GraphEntityRow>] = []
            for batch in self.planner.batches(of: rows, lockKey: \.id, estimatedBytes: \.estimatedBytes) {
                rejected += try await self.isolating(batch) { rows in
                    try await self.execute([(GraphCypher.mergeEntities, ["rows": .rows(rows)])])
                }
            }
            return rejected
        }
    }

    /// Replaces the MENTIONS of each document (delete, then create, in one transaction per batch,
    /// so no reader sees a document without its mentions); returns the documents whose mentions
    /// failed on their own.
    public func replaceMentions(_ documents: [DocumentMentions]) async throws -> [RejectedRow<DocumentMentions>] {
        try await shared {
            var rejected: [RejectedRow<DocumentMentions>] = []
            let batches = self.planner.batches(
                of: documents, lockKey: \.documentID,
                estimatedBytes: { $0.mentions.reduce(16) { $0 + $1.estimatedBytes } })
            for batch in batches {
                rejected += try await self.isolating(batch) { documents in
                    let ids = documents.map(\.documentID)
                    let rows = documents.flatMap(\.mentions).sorted { ($0.entityID, $0.documentID) < ($1.entityID, $1.documentID) }
                    // Delete, then create: the pair is idempotent, and cheaper on the server
                    // than MERGE, which must look for each relationship first.
                    var statements: [(String, [String: PackStreamParameter])] = [
                        (GraphCypher.deleteMentionsOfDocuments, ["ids": .value(.list(ids.map { .integer($0) }))])
                    ]
                    if !rows.isEmpty {
                        statements.append((GraphCypher.createMentions, ["rows": .rows(rows)]))
                    }
                    try await self.execute(statements)
                }
            }
            return rejected
        }
    }

    /// Deletes Document nodes with their relationships.
    public func deleteDocuments(_ ids: [Int64]) async throws {
        for batch in planner.batches(of: ids, lockKey: { $0 }, estimatedBytes: { _ in 9 }) {
            try await shared {
                try await self.execute([(GraphCypher.deleteDocuments, ["ids": .value(.list(batch.map { .integer($0) }))])])
            }
        }
    }

    /// Deletes those of `ids` that no MENTIONS points at any more; returns the ids deleted.
    public func deleteOrphanEntities(among ids: [Int64]) async throws -> [Int64] {
        var deleted: [Int64] = []
        for batch in planner.batches(of: ids, lockKey: { $0 }, estimatedBytes: { _ in 9 }) {
            let records = try await shared {
                try await self.client.withSession(database: self.database) { session in
                    try await session.executeWrite { tx in
                        try await tx.run(GraphCypher.deleteOrphanEntities, parameters: ["ids": .value(.list(batch.map { .integer($0) }))]).collect()
                    }
                }
            }
            deleted += records.compactMap { $0.values.first?.intValue }
        }
        return deleted
    }

    /// Runs statements in order in one managed write transaction (retried as a whole).
    func execute(_ statements: [(String, [String: PackStreamParameter])]) async throws {
        try await client.withSession(database: database) { session in
            try await session.executeWrite { tx in
                for (query, parameters) in statements {
                    _ = try await tx.execute(query, parameters: parameters)
                }
            }
        }
    }

    func shared<Result>(_ body: () async throws -> Result) async throws -> Result {
        if let sharedLane {
            return try await sharedLane.run(body)
        }
        return try await body()
    }

    private func isolating<Row: Sendable>(_ rows: [Row], write: ([Row]) async throws -> Void) async throws -> [RejectedRow<Row>] {
        try await writeIsolatingFailures(rows, isRowError: Self.isRowError, describe: Self.describe, write: write)
    }

    /// Whether the rows can be blamed: a server FAILURE that is not transient (a constraint
    /// violation, a type error). A lost server or exhausted retries stop the run instead.
    static func isRowError(_ error: any Error) -> Bool {
        guard let error = error as? BoltError, error.code == .server else { return false }
        return error.classification != .transientError
    }

    /// The server's code and message, for a dead letter.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? BoltError else { return String(describing: error) }
        return [error.serverCode, error.serverMessage].compactMap { $0 }.joined(separator: ": ")
    }
}
