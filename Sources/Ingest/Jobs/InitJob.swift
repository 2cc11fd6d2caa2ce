public import GraphStore
public import Registry

/// `graphingest init`: registry migrations, then the graph's uniqueness constraints and chunk
/// indexes. Idempotent.
public struct InitJob: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase

    public init(registry: RegistryStore, database: GraphDatabase) {
        self.registry = registry
        self.database = database
    }

    /// Runs the migrations and creates what the graph lacks.
    /// - Returns: lines for the user.
    public func run() async throws -> [String] {
        let applied = try await registry.migrate()
        var lines = ["registry schema \(registry.schema.name) " + (applied.isEmpty ? "is up to date" : "migrated to version \(applied.max()!)")]
        let (dialect, detected) = try await database.dialect()
        let graph = database.writer
        try await graph.createConstraints(dialect: dialect)
        lines.append("uniqueness constraints on Document.id, Entity.id and Chunk.id in the \(dialect.rawValue) dialect (\(detected ? "detected" : "as asked"))")
        try await graph.createLookupIndexes(dialect: dialect)
        lines.append("index on Entity.key (graphingest context finds a question's entities by key)")
        let dimensions = try await database.chunkVectorIndexDimensions(dialect: dialect)
        let indexes = try await graph.createChunkIndexes(dialect: dialect, dimensions: dimensions)
        lines += Self.chunkIndexLines(indexes, dialect: dialect, dimensions: dimensions)
        return lines
    }

    /// What `init` says about the chunk indexes.
    static func chunkIndexLines(_ indexes: GraphChunkIndexes, dialect: GraphDialect, dimensions: Int?) -> [String] {
        var lines: [String] = []
        if indexes.fullText {
            lines.append("full-text index \(GraphDialect.chunkTextIndex) on Chunk.text")
        } else {
            lines.append("the \(dialect.rawValue) dialect has no full-text index over Cypher: Chunk.text is not indexed for text search")
        }
        if let dimensions, indexes.vector {
            lines.append("vector index \(GraphDialect.chunkEmbeddingIndex) on Chunk.embedding (\(dimensions) dimensions, cosine)")
        } else if dialect.chunkVectorIndexStatement(dimensions: 1) != nil {
            lines.append("the vector index on Chunk.embedding comes with the first load that carries embeddings (its dimensions come from the data)")
        } else {
            lines.append("the \(dialect.rawValue) dialect has no vector index over Cypher: Chunk.embedding is stored but not indexed")
        }
        if let advice = dialect.nativeChunkIndexAdvice {
            lines.append("to index chunks natively, \(advice)")
        }
        return lines
    }
}
