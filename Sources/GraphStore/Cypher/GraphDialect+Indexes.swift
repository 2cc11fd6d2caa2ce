extension GraphDialect {
    /// The statements that index what the graph is searched by besides the ids, in this
    /// dialect (idempotent): `Entity.key`, by which `graphingest context` finds a question's
    /// entities.
    ///
    /// Neo4j 5's form runs unchanged on ArcadeDB (tested there); Memgraph's label-property index
    /// is written from its manual.
    package var lookupIndexStatements: [String] {
        switch self {
        case .neo4j, .arcadedb:
            return ["CREATE INDEX graphingest_entity_key IF NOT EXISTS FOR (e:Entity) ON (e.key)"]
        case .memgraph:
            return ["CREATE INDEX ON :Entity(key)"]
        }
    }
}
