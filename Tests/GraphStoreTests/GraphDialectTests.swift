import GraphStore
import Testing

@Suite struct GraphDialectTests {
    @Test(arguments: GraphDialect.allCases)
    func everyDialectConstrainsBothLabels(dialect: GraphDialect) {
        let statements = dialect.uniquenessConstraintStatements
        #expect(statements.count == 2)
        #expect(statements[0].contains("Document"))
        #expect(statements[1].contains("Entity"))
    }

    @Test func neo4jUsesIfNotExists() {
        #expect(GraphDialect.neo4j.uniquenessConstraintStatements.allSatisfy { $0.contains("IF NOT EXISTS") })
    }
}
