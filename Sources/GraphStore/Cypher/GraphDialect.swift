/// The graph database a Bolt URI points at, for what differs between them (constraint DDL).
public enum GraphDialect: String, Sendable, CaseIterable {
    case neo4j
    case arcadedb
    case memgraph
    case falkordb

    /// The statements that make `Document.id` and `Entity.id` unique in this dialect.
    public var uniquenessConstraintStatements: [String] {
        switch self {
        case .neo4j, .arcadedb:
            return [
                "CREATE CONSTRAINT graphingest_document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
                "CREATE CONSTRAINT graphingest_entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
            ]
        case .memgraph:
            return [
                "CREATE CONSTRAINT ON (d:Document) ASSERT d.id IS UNIQUE",
                "CREATE CONSTRAINT ON (e:Entity) ASSERT e.id IS UNIQUE",
            ]
        case .falkordb:
            return [
                "CREATE INDEX FOR (d:Document) ON (d.id)",
                "CREATE INDEX FOR (e:Entity) ON (e.id)",
            ]
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
        } else if lowered.contains("falkordb") {
            self = .falkordb
        } else if lowered.hasPrefix("neo4j/") {
            self = .neo4j
        } else {
            return nil
        }
    }
}
