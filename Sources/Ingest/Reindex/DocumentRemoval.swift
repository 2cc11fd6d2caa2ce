import GraphStore
import Registry

/// Deleting documents and the entities they leave without MENTIONS: what `reindex` does for
/// files that are gone and `consume` for tombstones, one path for both.
///
/// Orphan candidates (what the documents about to be replaced or deleted mention) are recorded
/// in the run's row before any write, and earlier runs of the same command that died before
/// their sweep are taken over, so a killed and rerun command sweeps what one uninterrupted run
/// would.
struct DocumentRemoval: Sendable {
    let registry: RegistryStore
    let graph: GraphWriter
    let configuration: PipelineConfiguration
    let fingerprint: String

    /// The entities a run may leave without MENTIONS, and the unfinished runs it takes them over from.
    struct OrphanCandidates: Sendable {
        var entityIDs = Set<Int64>()
        /// Those of `entityIDs` the touched documents mention (not carried, not inherited).
        var mentionedByTouched = Set<Int64>()
        /// Earlier runs that died before their sweep: marked swept by this run after it.
        var inherited: [RunRecord] = []
    }

    /// What deleting a set of documents did.
    struct Deletion: Sendable {
        var deleted = 0
        /// Documents another worker held: left to it.
        var heldByOthers = 0
        var edgeWrites = CooccurrenceSync.Writes()
    }

    static let candidatesKey = "orphan_candidates"
    static let sweptKey = "orphans_swept_by"

    /// What the documents `touched` mention now, plus what earlier unfinished runs of `command`
    /// left unswept (and `carried`, this run's own unswept candidates), recorded in the run's row
    /// before any write.
    func recordOrphanCandidates(touched: [Int64], command: String, runID: Int64, carried: Set<Int64> = []) async throws -> OrphanCandidates {
        var candidates = OrphanCandidates()
        for counts in try await registry.mentionSnapshot(documentIDs: touched).values {
            candidates.mentionedByTouched.formUnion(counts.map(\.entityID))
        }
        candidates.entityIDs = carried.union(candidates.mentionedByTouched)
        candidates.inherited = try await registry.unfinishedRuns(command: command, excluding: runID).filter { $0.figures?[Self.sweptKey] == nil }
        for run in candidates.inherited {
            candidates.entityIDs.formUnion(run.figures?[Self.candidatesKey]?.integers ?? [])
        }
        try await registry.recordRunProgress(runID, figures: [Self.candidatesKey: .array(candidates.entityIDs.sorted().map { .integer($0) })])
        return candidates
    }

    /// Claims the documents of `sources` and deletes them: one another worker still holds is left
    /// to it (deleting it under that worker would let its load bring it back). Then the graph,
    /// then the pairs out of the totals and the tombstone (a crash in between is redone by the
    /// next run), then the edges whose totals fell.
    func delete(_ sources: [String], threshold: Int, worker: QueueWorker) async throws -> Deletion {
        var deletion = Deletion()
        guard !sources.isEmpty else { return deletion }
        let claim = try await worker.claim(sources, fingerprint: fingerprint)
        let ids = claim.claimed.values.map(\.id).sorted()
        deletion.heldByOthers = claim.heldByOthers.count
        guard !ids.isEmpty else { return deletion }
        try await registry.withGraphWriteLock { try await graph.deleteDocuments(ids) }
        try await registry.replacePairSnapshots(Dictionary(uniqueKeysWithValues: ids.map { ($0, []) }))
        deletion.deleted = try await registry.markDeleted(ids)
        worker.letGo(claim.claimed.keys)
        deletion.edgeWrites = try await CooccurrenceSync(registry: registry, graph: graph, minimumCount: threshold,
                                                         faults: configuration.faults).writeAllPending()
        return deletion
    }

    /// Candidates some snapshot still names keep their MENTIONS; the graph checks the rest
    /// (again, so that what a concurrent run has just mentioned stays). The runs the candidates
    /// were inherited from are then marked swept.
    /// - Returns: the entities deleted.
    func sweepOrphans(_ candidates: OrphanCandidates, runID: Int64) async throws -> Int {
        let unmentioned = candidates.entityIDs.subtracting(try await registry.entitiesInSnapshots(among: candidates.entityIDs.sorted()))
        var deleted = 0
        if !unmentioned.isEmpty {
            deleted = try await registry.withGraphWriteLock {
                try await graph.deleteOrphanEntities(among: unmentioned.sorted()).count
            }
        }
        for run in candidates.inherited {
            try await registry.recordRunProgress(run.id, figures: (run.figures ?? [:]).merging([Self.sweptKey: .integer(runID)]) { $1 })
        }
        return deleted
    }
}
