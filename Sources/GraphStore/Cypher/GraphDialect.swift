/// The graph database a Bolt URI points at, for what differs between them: the DDL of the
/// uniqueness constraints, and how the server lists them.
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
    public var uniquenessConstraintStatements: [String] {
        switch self {
        case .neo4j, .arcadedb:
            return [
                "CREATE CONSTRAINT graphingest_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
                "CREATE CONSTRAINT graphingest_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
                "CREATE CONSTRAINT graphingest_chunk_id IF NOT EXISTS FOR (c:Chunk) REQUIRE c.id IS UNIQUE",
            ]
        case .memgraph:
            // A uniqueness constraint alone does not speed up MERGE in Memgraph: the label-property
            // indexes do. Both forms are idempotent there.
            return [
                "CREATE CONSTRAINT ON (d:Document) ASSERT d.id IS UNIQUE",
                "CREATE CONSTRAINT ON (e:Entity) ASSERT e.id IS UNIQUE",
                "CREATE CONSTRAINT ON (c:Chunk) ASSERT c.id IS UNIQUE",
                "CREATE INDEX ON :Document(id)",
                "CREATE INDEX ON :Entity(id)",
                "CREATE INDEX ON :Chunk(id)",
            ]
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
