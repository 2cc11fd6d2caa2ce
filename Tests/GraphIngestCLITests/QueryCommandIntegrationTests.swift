import Foundation
import IntegrationSupport
import Testing

/// `graphingest query` end to end: output, exit codes, and what it wrote.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct QueryCommandIntegrationTests {
    @Test func tableAndJSONLines() throws {
        _ = try IntegrationEnvironment.boltServer()
        let table = try CLIContractTests.run(["query", "RETURN 1 AS one, $name AS name", "--param", "name=\"Größe\""])
        #expect(table.status == 0)
        #expect(table.stdout.contains("one | name"))
        #expect(table.stdout.contains("1   | Größe"))
        #expect(table.stdout.contains("(1 record)"))
        let lines = try CLIContractTests.run(["query", "UNWIND $xs AS x RETURN x", "--param", "xs=[1, 2.5, null]", "--json", "--read"])
        #expect(lines.status == 0)
        #expect(lines.stdout == "{\"x\":1}\n{\"x\":2.5}\n{\"x\":null}\n")
    }

    @Test func writesAndReportsCounters() throws {
        _ = try IntegrationEnvironment.boltServer()
        let label = "CLIQuery" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let created = try CLIContractTests.run(["query", "CREATE (n:\(label) {id: $id}) RETURN n.id AS id", "--param", "id=7"])
        #expect(created.status == 0)
        #expect(created.stderr.contains("nodes created: 1"))
        let deleted = try CLIContractTests.run(["query", "MATCH (n:\(label)) DELETE n"])
        #expect(deleted.status == 0)
        #expect(deleted.stderr.contains("nodes deleted: 1"))
    }

    /// A statement the server refuses is the user's input to fix (exit 2), never 1, which says
    /// a run finished with dead letters.
    @Test func refusedStatementExitsTwoUnreachableExitsThree() throws {
        _ = try IntegrationEnvironment.boltServer()
        let syntax = try CLIContractTests.run(["query", "MATC (n) RETURN n"])
        #expect(syntax.status == 2)
        #expect(syntax.stderr.contains("Neo.ClientError.Statement.SyntaxError"))
        let unreachable = try CLIContractTests.run(["query", "RETURN 1", "--bolt", "bolt://127.0.0.1:1"])
        #expect(unreachable.status == 3)
        #expect(unreachable.stderr.contains("127.0.0.1:1"))
        let badParameter = try CLIContractTests.run(["query", "RETURN 1", "--param", "x={"])
        #expect(badParameter.status == 2)
        // query uses only the graph: an option it cannot use is rejected, not ignored.
        let postgres = try CLIContractTests.run(["query", "RETURN 1", "--postgres", "host=nowhere"])
        #expect(postgres.status == 2)
        #expect(postgres.stderr.contains("--postgres"))
    }
}
