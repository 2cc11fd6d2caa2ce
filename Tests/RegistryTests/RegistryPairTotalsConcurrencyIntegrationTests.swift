import Registry
import Testing

/// Pair totals under concurrent commits and folds (many processes): no increment is lost,
/// whatever the interleaving of commits that add the same new pairs and folds that take them.
@Suite struct RegistryPairTotalsConcurrencyIntegrationTests {
    @Test func concurrentCommitsAndFoldsOfTheSameNewPairsLoseNoIncrement() async throws {
        try await RegistryTestDatabase.withStore(maximumConnections: 8) { store in
            // 8 writers, 25 rounds each, one document per round, every document naming the same
            // new pairs of a round (new to all 8 at once) and pairs every round shares (rows the
            // commits lock and wait for, which widens the windows between their statements).
            let writers = 8
            let rounds = 25
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for round in 0..<rounds {
                            let document = Int64(writer * 1_000 + round + 1)
                            let pairs = (0..<3).map { PairCount(pair: EntityPair(Int64(round * 10 + $0 + 1), Int64(round * 10 + $0 + 2)), count: 1) }
                                + (0..<writer % 3 + 1).map { PairCount(pair: EntityPair(Int64(10_000 + $0), Int64(20_000 + writer % 2)), count: 1) }
                            try await store.replacePairSnapshots([document: pairs])
                            // Half the writers fold as they go (as syncs do beside commits).
                            if writer % 2 == 0 { try await store.foldPairDeltas(minimumCount: 2) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            // One more commit after every fold: its delta is certainly unfolded when the drift is read.
            let late = EntityPair(30_000, 30_001)
            try await store.replacePairSnapshots([999_999: [PairCount(pair: late, count: 5)]])
            #expect(try await store.pairTotals(atLeast: 1).allSatisfy { $0.pair != late }, "a commit leaves the totals to the fold")
            #expect(try await store.driftedPairTotals().isEmpty, "totals and unfolded deltas equal the sum of the documents' pairs")
            try await store.foldPairDeltas(minimumCount: 2)
            #expect(try await store.driftedPairTotals().isEmpty, "folded totals equal the sum of the documents' pairs")
            let folded = try #require(try await store.pairTotals(atLeast: 1).first { $0.pair == late })
            #expect(folded.count == 5 && folded.documents == 1)
            let totals = try await store.pairTotals(atLeast: 1).filter { $0.pair.a < 10_000 }
            #expect(totals.count == rounds * 3)
            #expect(totals.allSatisfy { $0.count == Int64(writers) && $0.documents == Int64(writers) })
        }
    }
}
