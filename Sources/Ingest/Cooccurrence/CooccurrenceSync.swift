import Foundation
import GraphStore
import Registry
import Synchronization

/// Brings CO_OCCURS_WITH edges up to the registry's pair totals.
///
/// PostgreSQL is the source of truth: a commit records the change it makes to the totals as
/// deltas in the transaction that replaces its documents' pair counts, so concurrent commits
/// never lose an increment (nor wait for each other on the totals of popular pairs). Then, one
/// sync at a time (a lane in the process, an advisory lock in PostgreSQL across processes), the
/// deltas are folded into the totals (the pairs whose edge must change become pending), the
/// pending totals are read and written to the graph as absolute values, and the
/// pairs are marked written unless they changed meanwhile. A sync that reads later writes later,
/// so the graph ends with the newest totals; a crash between the graph write and the mark
/// leaves the pairs pending, and the next run's first sync writes them again (idempotent).
///
/// A run syncs at its end, and during a long run at most once per ``interval`` after a commit:
/// the edges between popular entities change in nearly every batch, and writing them after each
/// batch wrote each of them again and again (on the benchmark corpus, 82,000 edge writes for
/// 16,000 edges, and the ingest took 2.7 times as long as without relations).
package final class CooccurrenceSync: Sendable {
    /// The longest a run leaves changed totals unwritten while it commits.
    package static let interval: Duration = .seconds(60)

    /// The edges written to the graph.
    package struct Writes: Sendable, Hashable {
        package var created = 0
        package var updated = 0
        package var deleted = 0

        package init() {}

        package var total: Int { created + updated + deleted }

        package mutating func add(_ other: Writes) {
            created += other.created
            updated += other.updated
            deleted += other.deleted
        }
    }

    let registry: any CommitRegistry
    let graph: any CommitGraph
    /// An edge exists when its pair's count reaches this (`--min-cooccurrence`).
    package let minimumCount: Int
    private let lane = AsyncLane()
    private let faults: FaultInjection
    /// When the last sync started.
    private let lastSync = Mutex(ContinuousClock.now)

    package init(registry: any CommitRegistry, graph: any CommitGraph, minimumCount: Int, faults: TestFaults = TestFaults()) {
        self.registry = registry
        self.graph = graph
        self.minimumCount = max(1, minimumCount)
        self.faults = FaultInjection(killAfterEdgeWrites: faults.killAfterEdgeWrites)
    }

    /// The threshold a run uses: the one asked for, else the one in force, else the default.
    package static func threshold(asked: Int?, registry: any CommitRegistry) async throws -> Int {
        if let asked { return max(1, asked) }
        return try await registry.cooccurrenceThreshold() ?? PipelineConfiguration.defaultMinimumCooccurrence
    }

    /// Makes the run's threshold the one in force (pairs whose edge it creates or removes
    /// become pending), then writes every pending pair: what an earlier run left behind.
    package func prepare() async throws -> Writes {
        _ = try await registry.applyCooccurrenceThreshold(minimumCount)
        return try await writeAllPending()
    }

    /// Writes every pending pair when ``interval`` has passed since the last sync (called after
    /// each commit); nothing otherwise.
    package func writeIfDue() async throws -> Writes {
        let due = lastSync.withLock { last in
            guard ContinuousClock.now - last >= Self.interval else { return false }
            last = .now
            return true
        }
        return due ? try await writeAllPending() : Writes()
    }

    /// Writes the edges of every pending pair, a page at a time.
    package func writeAllPending() async throws -> Writes {
        lastSync.withLock { $0 = .now }
        // One sync at a time in the process (the lane), and across processes (the registry's
        // lock): a sync that read older totals must not write them after a newer one.
        return try await lane.run { try await registry.withCooccurrenceLock {
            _ = try await registry.foldPairDeltas(minimumCount: minimumCount)
            var writes = Writes()
            var after: EntityPair?
            while true {
                let page = try await registry.pendingPairTotals(among: nil, after: after, limit: 10_000)
                guard let last = page.last else { return writes }
                writes.add(try await apply(page))
                after = last.pair
            }
        } }
    }

    /// Writes a page of pending totals: edges the registry knows the graph lacks are created
    /// (marked uncertain first, so an unrecorded write is merged next time), the others merged,
    /// those under the threshold deleted; then the pairs are recorded written.
    private func apply(_ totals: [PairTotal]) async throws -> Writes {
        guard !totals.isEmpty else { return Writes() }
        var writes = Writes()
        var merged: [GraphCooccurrenceRow] = []
        var created: [GraphCooccurrenceRow] = []
        var removed: [GraphCooccurrenceRow] = []
        for total in totals {
            let row = GraphCooccurrenceRow(a: total.pair.a, b: total.pair.b, count: total.count, documents: total.documents)
            if total.count < Int64(minimumCount) {
                removed.append(row)
                writes.deleted += 1
            } else if total.graphCount == nil {
                created.append(row)
                writes.created += 1
            } else {
                merged.append(row)
                writes.updated += 1
            }
        }
        try await registry.markEdgesUncertain(created.map { EntityPair($0.a, $0.b) })
        try await registry.withGraphWriteLock { try await graph.writeCooccurrences(merged, creating: created, removed: removed) }
        faults.afterEdgeWrite()
        try await registry.markPairsWritten(totals, minimumCount: minimumCount)
        return writes
    }
}

/// ``TestFaults/killAfterEdgeWrites`` at work: counts the sync's edge writes and kills the
/// process (SIGKILL) after the N-th.
final class FaultInjection: Sendable {
    private let killAfter: Int?
    private let writes = Mutex(0)

    init(killAfterEdgeWrites: Int?) {
        killAfter = killAfterEdgeWrites
    }

    func afterEdgeWrite() {
        guard let killAfter else { return }
        let count = writes.withLock { count in
            count += 1
            return count
        }
        if count >= killAfter { kill(getpid(), SIGKILL) }
    }
}
