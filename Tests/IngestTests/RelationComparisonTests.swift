import GraphStore
@testable import Ingest
import Registry
import Testing

/// The relation layer of `check`, without servers: each kind of difference between the graph's
/// CO_OCCURS_WITH and the registry's totals lands in its own class.
@Suite struct RelationComparisonTests {
    static let totals = [
        PairTotal(pair: EntityPair(1, 2), count: 3, documents: 2),
        PairTotal(pair: EntityPair(1, 3), count: 2, documents: 1),
        PairTotal(pair: EntityPair(2, 3), count: 5, documents: 4),
    ]

    static func edge(_ from: Int64, _ to: Int64, _ count: Int64, _ documents: Int64) -> GraphCooccurrenceEdge {
        GraphCooccurrenceEdge(from: from, to: to, count: count, documents: documents)
    }

    @Test func matchingSidesAreConsistent() {
        let comparison = RelationComparison(edges: [Self.edge(1, 2, 3, 2), Self.edge(1, 3, 2, 1), Self.edge(2, 3, 5, 4)],
                                            expected: Self.totals, driftedTotals: [])
        #expect(comparison == RelationComparison())
        #expect(comparison.findings(sampleSize: 5).allSatisfy { $0.count == 0 })
    }

    @Test func eachDifferenceHasItsClass() {
        let comparison = RelationComparison(
            edges: [
                Self.edge(1, 2, 3, 1),  // documents drifted
                Self.edge(2, 3, 5, 4), Self.edge(2, 3, 5, 4),  // doubled
                Self.edge(3, 1, 2, 1),  // backwards: extra, and 1 -> 3 is missing
                Self.edge(4, 5, 1, 1),  // no totals behind it
            ],
            expected: Self.totals, driftedTotals: [PairTotal(pair: EntityPair(7, 8), count: 0, documents: 0)])
        #expect(comparison.missing == [EntityPair(1, 3)])
        #expect(comparison.extra == [Self.edge(3, 1, 2, 1), Self.edge(4, 5, 1, 1)])
        #expect(comparison.drifted == [EntityPair(1, 2), EntityPair(2, 3)])
        #expect(comparison.driftedTotals == [EntityPair(7, 8)])
        let findings = Dictionary(uniqueKeysWithValues: comparison.findings(sampleSize: 1).map { ($0.check, $0) })
        #expect(findings[.missingRelations]?.samples == ["1-3"])
        #expect(findings[.extraRelations]?.count == 2 && findings[.extraRelations]?.samples == ["3->1"])
        #expect(findings[.relationCountDrift]?.count == 2)
        #expect(findings[.relationTotalDrift]?.samples == ["7-8"])
    }
}
