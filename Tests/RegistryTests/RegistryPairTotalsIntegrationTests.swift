import Registry
import Testing

/// Pair totals as `status` counts them and as a sync records its edge writes.
@Suite struct RegistryPairTotalsIntegrationTests {
    /// During a run, commits leave their pair differences as deltas for the next sync to fold:
    /// `status` counts them as the fold will leave them, so its relation figures do not lag a
    /// running ingest by up to a minute of commits.
    @Test func pairFiguresCountUnfoldedDeltasAsTheFoldWillLeaveThem() async throws {
        try await RegistryTestDatabase.withStore { store in
            _ = try await store.applyCooccurrenceThreshold(2)
            let strong = EntityPair(1, 2)
            let weak = EntityPair(3, 4)
            try await store.replacePairSnapshots([1: [PairCount(pair: strong, count: 3), PairCount(pair: weak, count: 1)]])
            let unfolded = try await store.totals()
            #expect(unfolded.pairs == 2, "both pairs are counted before any fold")
            #expect(unfolded.relations == 1, "only the pair at the threshold is a relation")
            #expect(unfolded.pendingRelations == 1, "the new edge is not written yet")

            try await store.foldPairDeltas(minimumCount: 2)
            #expect(try await store.totals() == unfolded, "folding changes nothing status shows")

            try await store.markPairsWritten(try await store.pendingPairTotals(among: nil), minimumCount: 2)
            let written = try await store.totals()
            #expect(written.pairs == 2 && written.relations == 1 && written.pendingRelations == 0)

            // The document no longer names the strong pair: its edge must go, though no fold ran.
            try await store.replacePairSnapshots([1: [PairCount(pair: weak, count: 1)]])
            let shrunk = try await store.totals()
            #expect(shrunk.pairs == 1, "the emptied pair is no longer counted")
            #expect(shrunk.relations == 0)
            #expect(shrunk.pendingRelations == 1, "the written edge of the emptied pair is to be removed")
        }
    }

    /// Before a sync creates edges, their pairs are marked uncertain (`graph_count` 0) without
    /// moving their revision: the write is still recorded by `markPairsWritten`, and one that is
    /// not leaves the pair pending with an edge that the next sync merges.
    @Test func edgesAboutToBeCreatedAreMarkedUncertainAndStillRecordedWritten() async throws {
        try await RegistryTestDatabase.withStore { store in
            _ = try await store.applyCooccurrenceThreshold(1)
            let created = EntityPair(1, 2)
            let known = EntityPair(3, 4)
            try await store.replacePairSnapshots([1: [PairCount(pair: known, count: 1)]])
            try await store.foldPairDeltas(minimumCount: 1)
            try await store.markPairsWritten(try await store.pendingPairTotals(among: nil), minimumCount: 1)
            try await store.replacePairSnapshots([1: [PairCount(pair: known, count: 2), PairCount(pair: created, count: 1)]])
            try await store.foldPairDeltas(minimumCount: 1)
            let pending = try await store.pendingPairTotals(among: nil)
            #expect(pending.map(\.graphCount) == [nil, 1])

            try await store.markEdgesUncertain(pending.map(\.pair))
            let marked = try await store.pendingPairTotals(among: nil)
            #expect(marked.map(\.graphCount) == [0, 1], "only the pair without an edge is marked; the known edge keeps its count")
            #expect(marked.map(\.revision) == pending.map(\.revision), "marking moves no revision")

            try await store.markPairsWritten(pending, minimumCount: 1)
            #expect(try await store.pendingPairTotals(among: nil).isEmpty)
            #expect(try await store.pairTotals(atLeast: 1).map(\.graphCount) == [1, 2])
        }
    }
}
