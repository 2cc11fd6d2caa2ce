import GraphStore
import Testing

@Suite struct GraphDialectTests {
    @Test(arguments: GraphDialect.allCases)
    func everyDialectMakesEveryIdUnique(dialect: GraphDialect) {
        let unique = dialect.uniquenessConstraintStatements.filter { $0.contains("UNIQUE") }
        #expect(unique.count == 3)
        #expect(unique.contains { $0.contains("(d:Document)") && $0.contains("d.id") })
        #expect(unique.contains { $0.contains("(e:Entity)") && $0.contains("e.id") })
        #expect(unique.contains { $0.contains("(c:Chunk)") && $0.contains("c.id") })
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
