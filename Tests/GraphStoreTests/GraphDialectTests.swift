import Foundation
import GraphStore
import Testing

@Suite struct GraphDialectTests {
    @Test(arguments: GraphDialect.allCases)
    func everyDialectMakesEveryIdUnique(dialect: GraphDialect) {
        let unique = dialect.uniquenessConstraintStatements.filter { $0.contains("UNIQUE") }
        #expect(unique.count == 4)
        #expect(unique.contains { $0.contains("(d:Document)") && $0.contains("d.id") })
        #expect(unique.contains { $0.contains("(e:Entity)") && $0.contains("e.id") })
        #expect(unique.contains { $0.contains("(c:Chunk)") && $0.contains("c.id") })
        #expect(unique.contains { $0.contains("(c:__Community__)") && $0.contains("c.id") })
    }

    /// `graphingest context` finds entities by key: every dialect indexes `Entity.key`.
    @Test(arguments: GraphDialect.allCases)
    func everyDialectIndexesEntityKeys(dialect: GraphDialect) {
        #expect(dialect.lookupIndexStatements.count == 1)
        #expect(dialect.lookupIndexStatements.allSatisfy { $0.hasPrefix("CREATE INDEX") && $0.contains("Entity") && $0.contains("key") })
        if dialect != .memgraph {
            #expect(dialect.lookupIndexStatements == ["CREATE INDEX graphingest_entity_key IF NOT EXISTS FOR (e:Entity) ON (e.key)"])
        }
    }

    /// The context statement is bounded by its parameters, ranks by entities and mentions before
    /// it cuts to the pool, and by co-occurrence too before it cuts to the limit.
    @Test func contextStatementIsParameterizedAndRanksBeforeTheLimit() throws {
        let cypher = GraphCypher.contextChunks
        #expect(cypher.hasPrefix("UNWIND $keys AS key\nMATCH (q:Entity {key: key})"))
        let pool = try #require(cypher.range(of: "ORDER BY matched DESC, weight DESC, document, index LIMIT $pool"))
        let limit = try #require(cypher.range(of: "LIMIT $limit"))
        let ranking = try #require(cypher.range(of: "ORDER BY matched DESC, weight DESC, cooccurrence DESC, document, index"))
        #expect(pool.upperBound <= ranking.lowerBound && ranking.upperBound <= limit.lowerBound)
        #expect(cypher.hasSuffix("ORDER BY matched DESC, weight DESC, cooccurrence DESC, document, index"))
        #expect(GraphCypher.contextPool(limit: 5) == 50 && GraphCypher.contextPool(limit: 20) == 200)
    }

    @Test func neo4jUsesIfNotExists() {
        #expect(GraphDialect.neo4j.uniquenessConstraintStatements.allSatisfy { $0.contains("IF NOT EXISTS") })
    }

    /// FalkorDB has no uniqueness constraint in Cypher, so it is not offered.
    @Test func onlyDialectsThatCanKeepIdsUniqueAreOffered() {
        #expect(GraphDialect.allCases.map(\.rawValue) == ["neo4j", "arcadedb", "memgraph"])
        #expect(GraphDialect(rawValue: "falkordb") == nil)
    }
}

/// The chunk indexes: Neo4j's forms as the graph model names them, none over Cypher for ArcadeDB
/// (it refuses VECTOR and FULLTEXT indexes over Bolt; tried on 26.10.2), Memgraph's from its
/// manual (untested).
@Suite struct GraphDialectChunkIndexTests {
    @Test func neo4jMakesBothIndexesWithTheDimensionsOfTheData() {
        #expect(GraphDialect.neo4j.chunkVectorIndexStatement(dimensions: 384) == "CREATE VECTOR INDEX graphingest_chunk_embedding IF NOT EXISTS "
            + "FOR (c:Chunk) ON (c.embedding) OPTIONS {indexConfig: {`vector.dimensions`: 384, `vector.similarity_function`: 'cosine'}}")
        #expect(GraphDialect.neo4j.chunkTextIndexStatement == "CREATE FULLTEXT INDEX graphingest_chunk_text IF NOT EXISTS FOR (c:Chunk) ON EACH [c.text]")
        #expect(GraphDialect.neo4j.nativeChunkIndexAdvice == nil)
    }

    @Test func arcadeDBHasNoneOverCypherAndSaysHowToMakeThemNatively() throws {
        #expect(GraphDialect.arcadedb.chunkVectorIndexStatement(dimensions: 3) == nil)
        #expect(GraphDialect.arcadedb.chunkTextIndexStatement == nil)
        let advice = try #require(GraphDialect.arcadedb.nativeChunkIndexAdvice)
        #expect(advice.contains("FULL_TEXT") && advice.contains("LSM_VECTOR"))
    }

    @Test func memgraphUsesItsOwnForms() {
        #expect(GraphDialect.memgraph.chunkVectorIndexStatement(dimensions: 8)?.hasPrefix("CREATE VECTOR INDEX graphingest_chunk_embedding ON :Chunk(embedding) WITH CONFIG {\"dimension\": 8,") == true)
        #expect(GraphDialect.memgraph.chunkTextIndexStatement == "CREATE TEXT INDEX graphingest_chunk_text ON :Chunk(text)")
    }
}
