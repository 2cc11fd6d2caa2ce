/// What `check --repair` writes to bring the graph back to what the registry (the source of
/// truth) says, worked out from the two snapshots. Pure, so it is tested without servers.
///
/// Repair happens in two passes. The structural one (``structural(graph:)``) removes what the
/// model cannot hold at all: dangling MENTIONS, duplicate nodes, missing constraints. The data
/// one (``make(graph:registry:)``), computed from a fresh graph snapshot after that, fixes
/// nodes, properties and MENTIONS, and the chunk layer as far as the graph and the registry
/// can: extra chunks and stray FROM_CHUNK go, broken NEXT_CHUNK chains are made again from the
/// registry's chunk indexes. What needs a document's text (missing or drifted chunks, FROM_CHUNK
/// counts that disagree: the registry keeps no text and no chunk offsets of mentions) is
/// ``documentsToReextract``: `check --repair` queues them for re-extraction in the registry, and
/// re-ingests them at once when it is given the corpus. Every step is idempotent, so a repair
/// that dies part-way is finished by running it again.
package struct ConsistencyRepairPlan: Sendable, Equatable {
    /// What the structural pass does.
    package struct Structural: Sendable, Equatable {
        package var deleteDanglingMentions = false
        package var duplicateDocumentIDs: [Int64] = []
        package var duplicateEntityIDs: [Int64] = []
        package var createConstraints = false

        package var isEmpty: Bool {
            !deleteDanglingMentions && duplicateDocumentIDs.isEmpty && duplicateEntityIDs.isEmpty && !createConstraints
        }
    }

    /// Document nodes to delete with their relationships: unknown to the registry, or tombstoned.
    package var documentsToDelete: [Int64] = []
    /// Entity nodes to delete with their relationships: unknown to the registry.
    package var entitiesToDelete: [Int64] = []
    /// Entities to write from the registry: needed by a snapshot but missing, or drifted.
    package var entitiesToWrite: [Int64] = []
    /// Documents to write from the registry: loaded but missing, or drifted.
    package var documentsToWrite: [Int64] = []
    /// MENTIONS to delete: in the graph but not in the document's snapshot, and parallel ones
    /// (deleted before they are written again once).
    package var mentionsToDelete: [MentionPair] = []
    /// MENTIONS to write with the snapshot's count: missing, with another count, or parallel.
    package var mentionsToWrite: [MentionPair: Int64] = [:]
    /// Entities that may be left without MENTIONS; the graph deletes those that are (it checks
    /// each one again, so a concurrent writer's entities with MENTIONS stay).
    package var orphanCandidates: [Int64] = []
    /// Chunk ids whose extra nodes go, with their relationships.
    package var chunksToDelete: [ChunkLayerComparison.ExtraChunk] = []
    /// FROM_CHUNK to delete.
    package var chunkMentionsToDelete: [ChunkMentionPair] = []
    /// Documents whose NEXT_CHUNK chain is made again, with their chunk indexes in order.
    package var chunkChainsToRebuild: [Int64: [Int64]] = [:]
    /// Documents only a new extraction of their text repairs.
    package var documentsToReextract: [Int64] = []

    package init() {}

    package var isEmpty: Bool {
        documentsToDelete.isEmpty && entitiesToDelete.isEmpty && entitiesToWrite.isEmpty && documentsToWrite.isEmpty
            && mentionsToDelete.isEmpty && mentionsToWrite.isEmpty && orphanCandidates.isEmpty
            && chunksToDelete.isEmpty && chunkMentionsToDelete.isEmpty && chunkChainsToRebuild.isEmpty && documentsToReextract.isEmpty
    }

    /// The structural pass for a graph snapshot.
    package static func structural(graph: GraphSnapshot) -> Structural {
        var plan = Structural()
        plan.deleteDanglingMentions = !graph.danglingMentions.isEmpty
        plan.duplicateDocumentIDs = graph.duplicateDocumentIDs.keys.sorted()
        plan.duplicateEntityIDs = graph.duplicateEntityIDs.keys.sorted()
        plan.createConstraints = !graph.hasDocumentConstraint || !graph.hasEntityConstraint || !graph.hasChunkConstraint
        return plan
    }

    /// The data pass: what to delete and write so that the graph holds exactly what the
    /// registry's loaded documents, entities and mention snapshots say.
    package static func make(graph: GraphSnapshot, registry: RegistrySnapshot) -> ConsistencyRepairPlan {
        var plan = ConsistencyRepairPlan()
        let deletedDocuments = Set(graph.documents.keys.filter {
            !registry.knownDocumentIDs.contains($0) || registry.deletedDocumentIDs.contains($0)
        })
        plan.documentsToDelete = deletedDocuments.sorted()
        let deletedEntities = Set(graph.entities.keys.filter { registry.entities[$0] == nil })
        plan.entitiesToDelete = deletedEntities.sorted()

        var entities = Set<Int64>()
        for id in registry.neededEntityIDs where graph.entities[id] == nil { entities.insert(id) }
        for (id, facts) in graph.entities where registry.entities[id].map({ $0 != facts }) ?? false { entities.insert(id) }
        plan.entitiesToWrite = entities.sorted()

        var documents = Set<Int64>()
        for (id, facts) in registry.loadedDocuments where graph.documents[id] != facts { documents.insert(id) }
        plan.documentsToWrite = documents.sorted()

        var orphans = graph.orphanEntityIDs
        var mentionsToDelete = Set<MentionPair>()
        for pair in graph.mentions.keys {
            if deletedDocuments.contains(pair.documentID) {
                orphans.insert(pair.entityID)
                continue
            }
            guard registry.loadedDocuments[pair.documentID] != nil, !deletedEntities.contains(pair.entityID) else { continue }
            if registry.mentions[pair] == nil || graph.parallelMentions.contains(pair) {
                mentionsToDelete.insert(pair)
                orphans.insert(pair.entityID)
            }
        }
        plan.mentionsToDelete = mentionsToDelete.sorted()
        for (pair, count) in registry.mentions where graph.mentions[pair] != count || graph.parallelMentions.contains(pair) {
            plan.mentionsToWrite[pair] = count
        }
        // An entity a loaded document names stays: its MENTIONS are written again.
        plan.orphanCandidates = orphans.subtracting(deletedEntities).subtracting(registry.neededEntityIDs).sorted()

        let chunks = ChunkLayerComparison(graph: graph, registry: registry)
        plan.chunksToDelete = chunks.extraChunks
        plan.chunkMentionsToDelete = chunks.strayChunkMentions
        plan.documentsToReextract = chunks.documentsToReextract
        let reextracted = Set(chunks.documentsToReextract)
        for document in chunks.brokenChains where !reextracted.contains(document) {
            plan.chunkChainsToRebuild[document] = registry.chunkIndexes[document] ?? []
        }
        return plan
    }
}

extension ConsistencyRepairPlan {
    /// The plan without what concerns `documents` (their nodes, MENTIONS, chunks, chains and
    /// re-extraction): those a worker touched since the check read them, which it is writing
    /// itself.
    package func excluding(documents: Set<Int64>) -> ConsistencyRepairPlan {
        guard !documents.isEmpty else { return self }
        func keeps(chunk id: String) -> Bool { ChunkKey(chunkID: id).map { !documents.contains($0.documentID) } ?? true }
        var plan = self
        plan.documentsToDelete.removeAll { documents.contains($0) }
        plan.documentsToWrite.removeAll { documents.contains($0) }
        plan.mentionsToDelete.removeAll { documents.contains($0.documentID) }
        plan.mentionsToWrite = plan.mentionsToWrite.filter { !documents.contains($0.key.documentID) }
        plan.chunksToDelete.removeAll { !keeps(chunk: $0.chunkID) || $0.keptDocumentID.map(documents.contains) == true }
        plan.chunkMentionsToDelete.removeAll { !keeps(chunk: $0.chunkID) }
        plan.chunkChainsToRebuild = plan.chunkChainsToRebuild.filter { !documents.contains($0.key) }
        plan.documentsToReextract.removeAll { documents.contains($0) }
        return plan
    }
}
