import GraphStore
import Testing

@Suite struct GraphBatchingTests {
    @Test func batchesAreSortedAndBoundedByRows() {
        let rows = (0..<12).reversed().map { GraphMentionRow(documentID: 1, entityID: Int64($0), count: 1, offsets: []) }
        let batches = GraphBatchPlanner(maximumRows: 5).batches(of: rows, lockKey: \.entityID, estimatedBytes: \.estimatedBytes)
        #expect(batches.map(\.count) == [5, 5, 2])
        #expect(batches.flatMap { $0 }.map(\.entityID) == (0..<12).map(Int64.init))
    }

    @Test func batchesAreBoundedByBytesAndAnOversizedRowTravelsAlone() {
        let sizes = [10, 10, 10, 50, 10]
        let batches = GraphBatchPlanner(maximumRows: 100, maximumBytes: 25).batches(of: Array(sizes.indices), lockKey: { $0 }, estimatedBytes: { sizes[$0] })
        #expect(batches == [[0, 1], [2], [3], [4]])
    }

    @Test func mentionOffsetsAreCappedAtThirtyTwo() {
        let row = GraphMentionRow(documentID: 1, entityID: 2, count: 100, offsets: (0..<100).map(Int64.init))
        #expect(row.offsets.count == GraphMentionRow.maximumOffsets)
        #expect(row.count == 100)
    }

    struct BadRow: Error {}
    struct ServerGone: Error {}

    @Test func failingRowsAreIsolatedAndTheRestLands() async throws {
        var written: [Int] = []
        var attempts = 0
        let rejected = try await writeIsolatingFailures(Array(0..<16), isRowError: { $0 is BadRow }, describe: { _ in "bad row" }) { rows in
            attempts += 1
            if rows.contains(5) || rows.contains(11) { throw BadRow() }
            written += rows
        }
        #expect(rejected.map(\.row) == [5, 11])
        #expect(rejected.allSatisfy { $0.reason == "bad row" })
        #expect(written.sorted() == Array(0..<16).filter { $0 != 5 && $0 != 11 })
        #expect(attempts < 16 * 2)
    }

    @Test func errorsThatAreNotTheRowsFaultStopTheWrite() async {
        await #expect(throws: ServerGone.self) {
            _ = try await writeIsolatingFailures([1, 2, 3], isRowError: { $0 is BadRow }, describe: { _ in "" }) { _ in throw ServerGone() }
        }
    }

    @Test(arguments: [
        ("Neo4j/5.26.0 compatible (ArcadeDB 26.10.2)", GraphDialect.arcadedb),
        ("Neo4j/5.20.0", .neo4j),
        ("Memgraph/2.17.0", .memgraph),
    ])
    func dialectFromServerAgent(agent: String, dialect: GraphDialect) {
        #expect(GraphDialect(serverAgent: agent) == dialect)
    }

    @Test func unknownAgentHasNoDialect() {
        #expect(GraphDialect(serverAgent: "SomethingElse/1.0") == nil)
    }
}
