/// The graph database a Bolt URI points at, for what differs between them: the DDL of the
/// uniqueness constraints and of the chunk indexes (vector and full-text), and how the server
/// lists them.
///
/// Neo4j 5's forms are also ArcadeDB's, and are tested against a live ArcadeDB. Memgraph's are
/// written from its manual and are not tested against a live server here. FalkorDB is not
/// offered: its Cypher has no uniqueness constraint (only an index), so the graph model's
/// guarantee could not be kept.
public enum GraphDialect: String, Sendable, CaseIterable {
    case neo4j
    case arcadedb
    case memgraph

    /// The statements that make `Document.id`, `Entity.id` and `Chunk.id` unique in this dialect.
    package var uniquenessConstraintStatements: [String] {
        switch self {
        case .neo4j, .arcadedb:
            return [
                "CREATE CONSTRAINT graphingest_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
                "CREATE CONSTRAINT graphingest_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
                "CREATE CONSTRAINT graphingest_chunk_id IF NOT EXISTS FOR (c:Chunk) REQUIRE c.id IS UNIQUE",
                "CREATE CONSTRAINT graphingest_community_id IF NOT EXISTS FOR (c:__Community__) REQUIRE c.id IS UNIQUE",
            ]
        case .memgraph:
            // A uniqueness constraint alone does not speed up MERGE in Memgraph: the label-property
            // indexes do. Both forms are idempotent there.
            return [
                "CREATE CONSTRAINT ON (d:Document) ASSERT d.id IS UNIQUE",
                "CREATE CONSTRAINT ON (e:Entity) ASSERT e.id IS UNIQUE",
                "CREATE CONSTRAINT ON (c:Chunk) ASSERT c.id IS UNIQUE",
                "CREATE CONSTRAINT ON (c:__Community__) ASSERT c.id IS UNIQUE",
                "CREATE INDEX ON :Document(id)",
                "CREATE INDEX ON :Entity(id)",
                "CREATE INDEX ON :Chunk(id)",
                "CREATE INDEX ON :__Community__(id)",
            ]
        }
    }

    /// The name of the vector index on `Chunk.embedding`, where the dialect has one.
    public static let chunkEmbeddingIndex = "graphingest_chunk_embedding"
    /// The name of the full-text index on `Chunk.text`, where the dialect has one.
    public static let chunkTextIndex = "graphingest_chunk_text"

    /// The statement that makes the cosine vector index on `Chunk.embedding` for vectors of
    /// `dimensions` numbers, or nil when the dialect has no vector index over Cypher.
    ///
    /// ArcadeDB 26.10 refuses `CREATE VECTOR INDEX` and `CREATE FULLTEXT INDEX` over Bolt ("Only
    /// standard, RANGE and TEXT index types are supported"; its `TEXT` index is a range index, no
    /// full-text search): tried on a live server. ``nativeChunkIndexAdvice`` says how to make both
    /// in its own SQL. Memgraph's form is from its manual, untested here; its index needs a
    /// capacity (it grows past it in recent versions) and has no `IF NOT EXISTS`.
    public func chunkVectorIndexStatement(dimensions: Int) -> String? {
        switch self {
        case .neo4j:
            return "CREATE VECTOR INDEX \(Self.chunkEmbeddingIndex) IF NOT EXISTS FOR (c:Chunk) ON (c.embedding) "
                + "OPTIONS {indexConfig: {`vector.dimensions`: \(dimensions), `vector.similarity_function`: 'cosine'}}"
        case .memgraph:
            return "CREATE VECTOR INDEX \(Self.chunkEmbeddingIndex) ON :Chunk(embedding) "
                + #"WITH CONFIG {"dimension": \#(dimensions), "capacity": 100000, "metric": "cos"}"#
        case .arcadedb:
            return nil
        }
    }

    /// The statement that makes the full-text index on `Chunk.text`, or nil when the dialect has
    /// none over Cypher (see ``chunkVectorIndexStatement(dimensions:)``).
    package var chunkTextIndexStatement: String? {
        switch self {
        case .neo4j: "CREATE FULLTEXT INDEX \(Self.chunkTextIndex) IF NOT EXISTS FOR (c:Chunk) ON EACH [c.text]"
        case .memgraph: "CREATE TEXT INDEX \(Self.chunkTextIndex) ON :Chunk(text)"
        case .arcadedb: nil
        }
    }

    /// Whether the dialect's index statements fail when the index exists (they have no
    /// `IF NOT EXISTS`): an "already exists" answer then means done.
    var indexStatementsFailWhenPresent: Bool { self == .memgraph }

    /// A statement that returns the dimensions of the existing vector index on `Chunk.embedding`
    /// as `dimensions` (no row when there is none), or nil when the dialect has no such index.
    var chunkVectorIndexDimensionsQuery: String? {
        switch self {
        case .neo4j:
            return "SHOW INDEXES YIELD name, options WHERE name = '\(Self.chunkEmbeddingIndex)' "
                + "RETURN options.indexConfig['vector.dimensions'] AS dimensions"
        case .memgraph:
            return "CALL vector_search.show_index_info() YIELD index_name, dimension "
                + "WITH index_name, dimension WHERE index_name = '\(Self.chunkEmbeddingIndex)' RETURN dimension AS dimensions"
        case .arcadedb:
            return nil
        }
    }

    /// How to make the chunk indexes outside Cypher, for a dialect that has none over Cypher
    /// (shown by `graphingest init`); nil when the Cypher statements above do it.
    public var nativeChunkIndexAdvice: String? {
        switch self {
        case .arcadedb:
            // Tried on ArcadeDB 26.10.2: after these, Cypher's db.index.fulltext.queryNodes('Chunk[text]', ...)
            // and db.index.vector.queryNodes('Chunk[embedding]', k, vector) answer over Bolt.
            return "in ArcadeDB's SQL (console, or HTTP /api/v1/command/<database> with language sql): "
                + "CREATE INDEX IF NOT EXISTS ON Chunk (text) FULL_TEXT; for embeddings of N numbers: "
                + "CREATE PROPERTY Chunk.embedding IF NOT EXISTS ARRAY_OF_FLOATS; "
                + "CREATE INDEX IF NOT EXISTS ON Chunk (embedding) LSM_VECTOR METADATA {dimensions: N, similarity: 'COSINE'}"
        case .neo4j, .memgraph:
            return nil
        }
    }

    /// The statement that lists the constraints, and how its columns are named.
    var constraintListing: (statement: String, type: String, labels: String, properties: String) {
        switch self {
        case .neo4j, .arcadedb:
            return ("SHOW CONSTRAINTS", "type", "labelsOrTypes", "properties")
        case .memgraph:
            return ("SHOW CONSTRAINT INFO", "constraint type", "label", "properties")
        }
    }
}

extension GraphDialect {
    /// Guesses the dialect from the server agent a Bolt HELLO returns
    /// ("Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)", "Neo4j/v5.11.0", "Memgraph/2.x").
    /// Returns nil when the agent names none we know.
    public init?(serverAgent agent: String) {
        let lowered = agent.lowercased()
        if lowered.contains("arcadedb") {
            self = .arcadedb
        } else if lowered.contains("memgraph") {
            self = .memgraph
        } else if lowered.hasPrefix("neo4j/") {
            self = .neo4j
        } else {
            return nil
        }
    }
}
