package import Bolt
import PackStream

/// Writes the graph model through a Bolt client: nodes in batches of `UNWIND $rows ...` (documents
/// merged on their id, entities looked up by id then updated or created), a document's MENTIONS
/// and chunks deleted and created again in one transaction, all in explicit
/// transactions retried on transient errors, with failing rows isolated by halving.
///
/// Entity and MENTIONS batches go through one lane (see ``GraphWriterOptions/serializeSharedWrites``):
/// they lock shared Entity nodes, and on ArcadeDB concurrent writers to the same vertex fail each
/// other with DeadlockDetected.
public final class GraphWriter: Sendable {
    /// The client the writer uses; the caller owns its lifetime.
    package let client: BoltClient
    /// The database to write to (nil for the server's default).
    public let database: String?
    public let planner: GraphBatchPlanner
    private let sharedLane: AsyncLane?

    /// - Parameters:
    ///   - serializeSharedWrites: run entity and MENTIONS batches one at a time across all
    ///     callers (documents still write in parallel).
    package init(client: BoltClient, database: String?, planner: GraphBatchPlanner = GraphBatchPlanner(), serializeSharedWrites: Bool = true) {
        self.client = client
        self.database = database
        self.planner = planner
        self.sharedLane = serializeSharedWrites ? AsyncLane() : nil
    }

    /// What one document puts in the graph besides its node: its MENTIONS, and its chunks with
    /// their NEXT_CHUNK chain and the FROM_CHUNK that lead to them. Replaced as a whole.
    public struct DocumentRelationships: Sendable {
        public var documentID: Int64
        public var mentions: [GraphMentionRow]
        /// The document's chunks in index order, each with its FROM_CHUNK (empty without chunks).
        public var chunks: [GraphChunkRow.WithMentions]

        public init(documentID: Int64, mentions: [GraphMentionRow], chunks: [GraphChunkRow.WithMentions] = []) {
            self.documentID = documentID
            self.mentions = mentions
            self.chunks = chunks
        }

        /// A generous estimate of what the document's rows weigh in PackStream, for batch bounds.
        var estimatedBytes: Int {
            mentions.reduce(16) { $0 + $1.estimatedBytes } + chunks.reduce(0) { $0 + $1.estimatedBytes }
        }
    }

    /// Creates the uniqueness constraints of `dialect` (idempotent).
    public func createConstraints(dialect: GraphDialect) async throws {
        try await runSchemaStatements(dialect.uniquenessConstraintStatements, dialect: dialect)
    }

    /// Creates the lookup indexes of `dialect` (``GraphDialect/lookupIndexStatements``; idempotent).
    public func createLookupIndexes(dialect: GraphDialect) async throws {
        try await runSchemaStatements(dialect.lookupIndexStatements, dialect: dialect)
    }

    /// Runs DDL statements one after the other, each in its own auto-commit transaction (schema
    /// changes cannot share a transaction with each other on every server). Where the dialect's
    /// index statements have no `IF NOT EXISTS`, an "already exists" answer means done.
    private func runSchemaStatements(_ statements: [String], dialect: GraphDialect) async throws {
        guard !statements.isEmpty else { return }
        try await client.withSession(database: database) { session in
            for statement in statements {
                do {
                    _ = try await session.run(statement).consume()
                } catch where dialect.indexStatementsFailWhenPresent && String(describing: error).lowercased().contains("already exists") {
                    continue
                }
            }
        }
    }

    /// Creates the chunk indexes `dialect` has over Cypher (idempotent): the full-text index on
    /// `Chunk.text`, and with `dimensions` the vector index on `Chunk.embedding`.
    /// - Returns: which of the two the dialect has (and so now exist).
    public func createChunkIndexes(dialect: GraphDialect, dimensions: Int?) async throws -> GraphChunkIndexes {
        var made = GraphChunkIndexes()
        var statements: [String] = []
        if let statement = dialect.chunkTextIndexStatement {
            statements.append(statement)
            made.fullText = true
        }
        if let dimensions, let statement = dialect.chunkVectorIndexStatement(dimensions: dimensions) {
            statements.append(statement)
            made.vector = true
        }
        try await runSchemaStatements(statements, dialect: dialect)
        return made
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

    /// Writes Entity nodes (updated when the id is there, created when not); returns the rows
    /// that failed on their own.
    public func writeEntities(_ rows: [GraphEntityRow]) async throws -> [RejectedRow<GraphEntityRow>] {
        try await shared {
            var rejected: [RejectedRow<GraphEntityRow>] = []
            for batch in self.planner.batches(of: rows, lockKey: \.id, estimatedBytes: \.estimatedBytes) {
                rejected += try await self.isolating(batch) { rows in
                    try await Self.retryingUniquenessRaces {
                        try await self.execute([(GraphCypher.mergeEntities, ["rows": .rows(rows)])])
                    }
                }
            }
            return rejected
        }
    }

    /// Replaces what each document links to: its MENTIONS and its chunks (deleted, then created
    /// with FROM_DOCUMENT, NEXT_CHUNK and FROM_CHUNK), in one transaction per batch, so no reader
    /// sees a document half replaced and running a batch twice leaves the same graph. Returns the
    /// documents whose rows failed on their own.
    public func replaceRelationships(_ documents: [DocumentRelationships]) async throws -> [RejectedRow<DocumentRelationships>] {
        try await shared {
            var rejected: [RejectedRow<DocumentRelationships>] = []
            let batches = self.planner.batches(of: documents, lockKey: \.documentID, estimatedBytes: \.estimatedBytes)
            for batch in batches {
                rejected += try await self.isolating(batch) { documents in
                    try await self.execute(Self.replacement(of: documents))
                }
            }
            return rejected
        }
    }

    /// The statements that replace the relationships of `documents`: delete, then create. The
    /// pair is idempotent, and cheaper on the server than MERGE, which must look for each
    /// relationship first.
    static func replacement(of documents: [DocumentRelationships]) -> [(String, [String: PackStreamParameter])] {
        let ids: PackStreamParameter = .value(.list(documents.map { .integer($0.documentID) }))
        var statements: [(String, [String: PackStreamParameter])] = [
            (GraphCypher.deleteMentionsOfDocuments, ["ids": ids]),
            (GraphCypher.deleteChunksOfDocuments, ["ids": ids]),
        ]
        // In entity order: concurrent writers then lock shared Entity nodes in the same order.
        let mentions = documents.flatMap(\.mentions).sorted { ($0.entityID, $0.documentID) < ($1.entityID, $1.documentID) }
        if !mentions.isEmpty {
            statements.append((GraphCypher.createMentions, ["rows": .rows(mentions)]))
        }
        let chunks = documents.flatMap(\.chunks)
        guard !chunks.isEmpty else { return statements }
        statements.append((GraphCypher.createChunks, ["rows": .rows(chunks)]))
        let embeddings = chunks.compactMap { row in row.chunk.embedding.map { GraphChunkRow.Embedding(id: row.chunk.id, vector: $0) } }
        if !embeddings.isEmpty {
            statements.append((GraphCypher.setChunkEmbeddings, ["rows": .rows(embeddings)]))
        }
        var links: [GraphChunkRow.Link] = []
        for document in documents {
            for (previous, next) in zip(document.chunks, document.chunks.dropFirst()) {
                links.append(GraphChunkRow.Link(from: previous.chunk.id, to: next.chunk.id))
            }
        }
        if !links.isEmpty {
            statements.append((GraphCypher.createNextChunks, ["rows": .rows(links)]))
        }
        return statements
    }

    /// Writes CO_OCCURS_WITH edges: deletes the edges of `removed`, sets `edges` to their totals
    /// (creating those missing; idempotent), and creates `created`, edges the caller knows the
    /// graph does not hold (not idempotent: see ``GraphCypher/createCooccurrences``); in pair
    /// order, one transaction per statement batch, in the shared lane (an edge locks both its
    /// entities).
    public func writeCooccurrences(_ edges: [GraphCooccurrenceRow], creating created: [GraphCooccurrenceRow],
                                   removed: [GraphCooccurrenceRow]) async throws {
        try await shared {
            for batch in self.planner.batches(of: removed, lockKey: { $0 }, estimatedBytes: \.estimatedBytes) {
                try await self.execute([(GraphCypher.deleteCooccurrences, ["rows": .rows(batch)])])
            }
            for batch in self.planner.batches(of: edges, lockKey: { $0 }, estimatedBytes: \.estimatedBytes) {
                try await self.execute([(GraphCypher.mergeCooccurrences, ["rows": .rows(batch)])])
            }
            for batch in self.planner.batches(of: created, lockKey: { $0 }, estimatedBytes: \.estimatedBytes) {
                try await self.execute([(GraphCypher.createCooccurrences, ["rows": .rows(batch)])])
            }
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

    /// Runs the entities' write (``GraphCypher/mergeEntities``: look up by id, create when
    /// missing) again when it failed on the uniqueness constraint: that happens only when another
    /// transaction (another process) created the same id after this one looked, and running it
    /// again finds the node. A few times, with a short growing pause.
    static func retryingUniquenessRaces(_ body: () async throws -> Void) async throws {
        var attempt = 0
        while true {
            do {
                return try await body()
            } catch let error as BoltError where attempt < 4 && isUniquenessRace(error) {
                attempt += 1
                try await Task.sleep(for: .milliseconds(10 * attempt * attempt))
            }
        }
    }

    /// A server failure naming the uniqueness constraint (Neo4j's ConstraintValidationFailed,
    /// ArcadeDB's duplicated key).
    static func isUniquenessRace(_ error: BoltError) -> Bool {
        guard error.code == .server else { return false }
        let text = [error.serverCode, error.serverMessage].compactMap { $0 }.joined(separator: " ").lowercased()
        return text.contains("constraintvalidationfailed") || text.contains("duplicate") || text.contains("already exists")
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

/// Which chunk indexes ``GraphWriter/createChunkIndexes(dialect:dimensions:)`` made.
public struct GraphChunkIndexes: Sendable, Hashable {
    /// The full-text index on `Chunk.text`.
    public var fullText = false
    /// The vector index on `Chunk.embedding`.
    public var vector = false

    /// Neither.
    public init() {}
}
