import GraphStore
@testable import Ingest
import Registry
import Synchronization
import Testing

/// How a sync writes CO_OCCURS_WITH edges from the registry's totals.
@Suite struct CooccurrenceSyncTests {
    static func rows(_ totals: [PairTotal]) -> [GraphCooccurrenceRow] {
        totals.map { GraphCooccurrenceRow(a: $0.pair.a, b: $0.pair.b, count: $0.count, documents: $0.documents) }
    }

    /// New edges are created (CREATE, cheaper than MERGE) only where the registry knows the
    /// graph has none; a sync that wrote edges and stopped before recording it leaves them
    /// uncertain, and the next sync merges them instead of creating them a second time.
    @Test func edgesAreCreatedOnceAndAnUnrecordedWriteIsMergedNextTime() async throws {
        let registry = InMemoryRegistry()
        let graph = InMemoryGraph()
        let sync = CooccurrenceSync(registry: registry, graph: graph, minimumCount: 2)
        try await registry.replacePairSnapshots([1: [PairCount(pair: EntityPair(1, 2), count: 2), PairCount(pair: EntityPair(3, 4), count: 3)]])
        _ = try await registry.foldPairDeltas(minimumCount: 2)
        // A sync that created the edges and was killed before recording them.
        let crashed = try await registry.pendingPairTotals(among: nil, after: nil, limit: 10)
        #expect(crashed.count == 2 && crashed.allSatisfy { $0.graphCount == nil })
        try await registry.markEdgesUncertain(crashed.map(\.pair))
        try await graph.writeCooccurrences([], creating: Self.rows(crashed), removed: [])

        let recovered = try await sync.writeAllPending()
        #expect(recovered.created == 0 && recovered.updated == 2, "edges that may exist are merged")

        try await registry.replacePairSnapshots([2: [PairCount(pair: EntityPair(1, 2), count: 1), PairCount(pair: EntityPair(5, 6), count: 2)]])
        let next = try await sync.writeAllPending()
        #expect(next.created == 1 && next.updated == 1, "the new pair's edge is created, the known one merged")
        #expect(try await sync.writeAllPending() == CooccurrenceSync.Writes(), "nothing is left pending")

        let state = graph.state.withLock { $0 }
        #expect(state.duplicateEdges.isEmpty, "no edge was created where one already was")
        #expect(state.cooccurrences.mapValues(\.count) == [EntityPair(1, 2): 3, EntityPair(3, 4): 3, EntityPair(5, 6): 2])
        let totals = registry.state.withLock { $0.totals }
        #expect(totals.values.allSatisfy { $0.graphCount == $0.count }, "every edge is recorded with its count")
    }
}
