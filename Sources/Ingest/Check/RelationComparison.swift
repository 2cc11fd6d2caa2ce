package import GraphStore
package import Registry

/// The relation layer of a check: how the graph's CO_OCCURS_WITH edges differ from the
/// registry's pair totals at the threshold in force, and whether those totals still add up to
/// the documents' pair counts. Pure; ``ConsistencyRepairer`` repairs from it.
package struct RelationComparison: Sendable, Equatable {
    /// Pairs whose totals reach the threshold but have no edge.
    package var missing: [EntityPair] = []
    /// Edges with no totals at the threshold behind them, or running from the higher id to the
    /// lower (deleted by a repair).
    package var extra: [GraphCooccurrenceEdge] = []
    /// Pairs whose edge holds another count or documents than the totals, or that several edges
    /// join (deleted and written again by a repair).
    package var drifted: [EntityPair] = []
    /// Pairs whose totals are not the sum of the documents' pair counts (recomputed by a repair).
    package var driftedTotals: [EntityPair] = []

    package init() {}

    /// Compares the graph's edges with the totals at the threshold (`expected`), and reports the
    /// registry's own drift (`driftedTotals`, from ``RegistryStore/driftedPairTotals()``).
    package init(edges: [GraphCooccurrenceEdge], expected: [PairTotal], driftedTotals: [PairTotal]) {
        var wanted: [EntityPair: PairTotal] = [:]
        for total in expected { wanted[total.pair] = total }
        var seen: [EntityPair: Int] = [:]
        var drifted = Set<EntityPair>()
        var extra: [GraphCooccurrenceEdge] = []
        for edge in edges {
            let pair = EntityPair(edge.from, edge.to)
            guard edge.from < edge.to, let total = wanted[pair] else {
                extra.append(edge)
                continue
            }
            seen[pair, default: 0] += 1
            if edge.count != total.count || edge.documents != total.documents || seen[pair]! > 1 { drifted.insert(pair) }
        }
        missing = wanted.keys.filter { seen[$0] == nil }.sorted()
        self.extra = extra.sorted { ($0.from, $0.to) < ($1.from, $1.to) }
        self.drifted = drifted.sorted()
        self.driftedTotals = driftedTotals.map(\.pair).sorted()
    }

    /// The findings of the relation classes.
    package func findings(sampleSize: Int) -> [ConsistencyFinding] {
        func pairs(_ pairs: [EntityPair]) -> [String] { pairs.prefix(sampleSize).map { "\($0.a)-\($0.b)" } }
        return [
            ConsistencyFinding(check: .missingRelations, count: missing.count, samples: pairs(missing)),
            ConsistencyFinding(check: .extraRelations, count: extra.count, samples: extra.prefix(sampleSize).map { "\($0.from)->\($0.to)" }),
            ConsistencyFinding(check: .relationCountDrift, count: drifted.count, samples: pairs(drifted)),
            ConsistencyFinding(check: .relationTotalDrift, count: driftedTotals.count, samples: pairs(driftedTotals)),
        ]
    }
}
