import GraphStore
import Registry

/// Carries out `check --repair`'s writes for the ``ConsistencyWalk``, which reads and compares:
/// each method applies one part of a slice's repair and counts it in the summary. Every step is
/// idempotent; the walk runs the graph's steps holding the graph-write lock (``lockingGraph(_:_:)``).
struct ConsistencyRepairer: Sendable {
    let registry: RegistryStore
    let graph: GraphWriter

    /// Why a document was queued for re-extraction, as its registry row says.
    static let reextractionReason = "its chunks or FROM_CHUNK differ from the registry in a way only its text can repair "
        + "(missing or drifted chunks, or FROM_CHUNK counts that disagree with MENTIONS)"

    /// Runs a repair step holding the graph-write lock, as a commit's entity and relationship
    /// writes do: beside running workers a repair touches the same popular Entity nodes, and
    /// ArcadeDB fails concurrent writers to one vertex. Taken after a range's document rows
    /// (workers never wait for a row while they hold the lock, so the order cannot deadlock).
    func lockingGraph(
        _ summary: ConsistencyRepairSummary, _ step: (inout ConsistencyRepairSummary) async throws -> Void
    ) async throws -> ConsistencyRepairSummary {
        try await registry.withGraphWriteLock {
            var summary = summary
            try await step(&summary)
            return summary
        }
    }

    /// Deletes MENTIONS whose document or entity is gone.
    func deleteDanglingMentions(to summary: inout ConsistencyRepairSummary) async throws {
        summary.danglingMentionsDeleted += try await graph.deleteDanglingMentions()
    }

    /// Collapses entity nodes that share an id into one.
    func collapseDuplicateEntities(_ ids: [Int64], to summary: inout ConsistencyRepairSummary) async throws {
        summary.duplicateNodesDeleted += try await graph.collapseDuplicateEntities(ids)
    }

    /// Collapses document nodes that share an id into one.
    func collapseDuplicateDocuments(_ ids: [Int64], to summary: inout ConsistencyRepairSummary) async throws {
        summary.duplicateNodesDeleted += try await graph.collapseDuplicateDocuments(ids)
    }

    /// Creates the uniqueness constraints, once the ranges collapsed their duplicates.
    func createConstraints(dialect: GraphDialect, to summary: inout ConsistencyRepairSummary) async throws {
        try await graph.createConstraints(dialect: dialect)
        summary.constraintsCreated = true
    }

    /// Recomputes drifted pair totals from the documents' pair counts.
    func recomputePairTotals(_ pairs: [EntityPair], to summary: inout ConsistencyRepairSummary) async throws {
        guard !pairs.isEmpty else { return }
        try await registry.recomputePairTotals(pairs)
        summary.pairTotalsRecomputed += pairs.count
    }

    /// Puts documents only their text can repair back in the queue, with ``reextractionReason``;
    /// a document a worker claimed meanwhile is no longer `loaded` and is left.
    func queueForReextraction(_ ids: [Int64], to summary: inout ConsistencyRepairSummary) async throws {
        guard !ids.isEmpty else { return }
        summary.documentsQueuedForReextraction += try await registry.markForReextraction(ids, reason: Self.reextractionReason).count
    }

    /// Carries out the relation layer's repair for one range: extra edges deleted, doubled or
    /// drifted edges deleted and, with the missing ones, marked pending for the sync that
    /// follows the walk to write from the totals.
    func applyRelationLayer(_ relations: RelationComparison, to summary: inout ConsistencyRepairSummary) async throws {
        let removed = relations.extra.map { GraphCooccurrenceRow(a: $0.from, b: $0.to, count: 0, documents: 0) }
            + relations.drifted.map { GraphCooccurrenceRow(a: $0.a, b: $0.b, count: 0, documents: 0) }
        if !removed.isEmpty {
            try await graph.writeCooccurrences([], creating: [], removed: removed)
            summary.relationsDeleted += removed.count
        }
        try await registry.markPairsPending(relations.drifted + relations.missing)
    }

    /// Carries out the chunk layer's part of the data pass: stray FROM_CHUNK, then extra chunks,
    /// then NEXT_CHUNK chains.
    func applyChunkLayer(_ plan: ConsistencyRepairPlan, to summary: inout ConsistencyRepairSummary) async throws {
        if !plan.chunkMentionsToDelete.isEmpty {
            try await graph.deleteChunkMentionPairs(plan.chunkMentionsToDelete.map {
                GraphChunkMentionRow(entityID: $0.entityID, chunkID: $0.chunkID, count: 0, offsets: [])
            })
            summary.chunkMentionsDeleted += plan.chunkMentionsToDelete.count
        }
        if !plan.chunksToDelete.isEmpty {
            summary.chunksDeleted += try await graph.deleteChunks(plan.chunksToDelete.map {
                GraphChunkDeletionRow(chunkID: $0.chunkID, keptDocumentID: $0.keptDocumentID)
            })
        }
        if !plan.chunkChainsToRebuild.isEmpty {
            try await graph.rebuildChunkChains(plan.chunkChainsToRebuild)
            summary.chunkChainsRebuilt += plan.chunkChainsToRebuild.count
        }
    }

    /// Carries out the data pass: deletes first, then entities, documents, MENTIONS, orphans.
    func apply(_ plan: ConsistencyRepairPlan, to summary: inout ConsistencyRepairSummary) async throws {
        if !plan.documentsToDelete.isEmpty {
            try await graph.deleteDocuments(plan.documentsToDelete)
            summary.documentsDeleted += plan.documentsToDelete.count
        }
        if !plan.entitiesToDelete.isEmpty {
            try await graph.deleteEntities(plan.entitiesToDelete)
            summary.entitiesDeleted += plan.entitiesToDelete.count
        }
        if !plan.entitiesToWrite.isEmpty {
            let rows = try await registry.entities(ids: plan.entitiesToWrite).map {
                GraphEntityRow(id: $0.id, key: $0.key, name: $0.name, type: $0.type)
            }
            let rejected = try await graph.writeEntities(rows)
            summary.entitiesWritten += rows.count - rejected.count
            summary.rejected += rejected.map { "entity \($0.row.key): \($0.reason)" }
        }
        if !plan.documentsToWrite.isEmpty {
            let rows = try await registry.documents(ids: plan.documentsToWrite).map {
                GraphDocumentRow(id: $0.id, source: $0.source, title: $0.source, sha256: $0.sha256 ?? "", bytes: $0.bytes ?? 0, version: $0.version)
            }
            let rejected = try await graph.restoreDocuments(rows)
            summary.documentsWritten += rows.count - rejected.count
            summary.rejected += rejected.map { "document \($0.row.source): \($0.reason)" }
        }
        if !plan.mentionsToDelete.isEmpty {
            try await graph.deleteMentionPairs(plan.mentionsToDelete.map {
                GraphMentionRow(documentID: $0.documentID, entityID: $0.entityID, count: 0, offsets: [])
            })
            summary.mentionsDeleted += plan.mentionsToDelete.count
        }
        if !plan.mentionsToWrite.isEmpty {
            let rows = plan.mentionsToWrite.sorted { $0.key < $1.key }.map {
                GraphMentionRow(documentID: $0.key.documentID, entityID: $0.key.entityID, count: $0.value, offsets: [])
            }
            let rejected = try await graph.restoreMentionCounts(rows)
            summary.mentionsWritten += rows.count - rejected.count
            summary.rejected += rejected.map { "MENTIONS \($0.row.documentID)->\($0.row.entityID): \($0.reason)" }
        }
        if !plan.orphanCandidates.isEmpty {
            // An entity a loaded document of another range names keeps: that range writes its
            // MENTIONS again.
            let kept = try await registry.entitiesInSnapshots(among: plan.orphanCandidates, loadedOnly: true)
            let candidates = plan.orphanCandidates.filter { !kept.contains($0) }
            if !candidates.isEmpty {
                summary.orphansDeleted += try await graph.deleteOrphanEntities(among: candidates).count
            }
        }
    }
}
