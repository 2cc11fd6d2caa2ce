import GraphStore

/// The chunk layer of a check: how the graph's Chunk nodes, NEXT_CHUNK and FROM_CHUNK differ
/// from the registry's chunk and mention snapshots, and which documents only their text can
/// repair. Pure, like ``ConsistencyComparison``, which reports it; ``ConsistencyRepairPlan``
/// repairs from it.
///
/// Documents are compared when both sides hold them (loaded in the registry, a node in the
/// graph); a missing document is reported once, under `missing_documents`, and a document with
/// missing or drifted chunks once more, not again for its chain and counts (its re-extraction
/// rebuilds those too). Chunks of documents the registry does not vouch for (pending, failed,
/// indexing) are left alone, as their MENTIONS are.
package struct ChunkLayerComparison: Sendable, Equatable {
    /// A chunk id whose nodes are extra, with the document whose chunk the registry says it is.
    package struct ExtraChunk: Sendable, Hashable, Comparable {
        package var chunkID: String
        /// Set when the registry lists the chunk: the node hanging from this document stays.
        package var keptDocumentID: Int64?

        package init(chunkID: String, keptDocumentID: Int64?) {
            self.chunkID = chunkID
            self.keptDocumentID = keptDocumentID
        }

        package static func < (lhs: ExtraChunk, rhs: ExtraChunk) -> Bool { lhs.chunkID < rhs.chunkID }
    }

    /// Registry chunks of documents both sides hold that the graph lacks.
    package var missingChunks: [ChunkKey] = []
    /// Chunk ids with nodes the registry does not list, or that hang from no document or another.
    package var extraChunks: [ExtraChunk] = []
    /// Chunks whose index, start, end or sha256 differ from the registry, or whose id several
    /// nodes carry.
    package var driftedChunks: [ChunkKey] = []
    /// Documents whose NEXT_CHUNK relationships are not exactly index i to i + 1.
    package var brokenChains: [Int64] = []
    /// FROM_CHUNK to a chunk the registry does not list, or from an entity the document's
    /// mention snapshot does not name.
    package var strayChunkMentions: [ChunkMentionPair] = []
    /// Documents with chunks where some entity's FROM_CHUNK counts do not add up to its count in
    /// the mention snapshot.
    package var countMismatches: [Int64] = []
    /// Documents whose chunks only their text can make again: missing or drifted chunks, counts
    /// that disagree, a missing document with chunks, a chunk hanging from another document.
    package var documentsToReextract: [Int64] = []

    package init() {}

    /// Compares the chunk layers of the two snapshots.
    package init(graph: GraphSnapshot, registry: RegistrySnapshot) {
        func held(_ document: Int64) -> Bool { registry.loadedDocuments[document] != nil && graph.documents[document] != nil }
        var reextract = Set<Int64>()

        var extra: [ExtraChunk] = []
        for id in graph.detachedChunkIDs {
            let key = ChunkKey(chunkID: id).flatMap { registry.chunks[$0] == nil ? nil : $0 }
            extra.append(ExtraChunk(chunkID: id, keptDocumentID: key?.documentID))
            // The registry's chunk hangs from another document, or is missing: only the text
            // makes it again.
            if let key { reextract.insert(key.documentID) }
        }
        var drifted = Set<ChunkKey>()
        for (key, facts) in graph.chunks where registry.loadedDocuments[key.documentID] != nil {
            if let expected = registry.chunks[key] {
                if facts != expected || graph.duplicateChunkKeys.contains(key) { drifted.insert(key) }
            } else {
                extra.append(ExtraChunk(chunkID: key.description, keptDocumentID: nil))
            }
        }
        var missing: [ChunkKey] = []
        for key in registry.chunks.keys where graph.documents[key.documentID] != nil && graph.chunks[key] == nil {
            missing.append(key)
        }
        for (document, indexes) in registry.chunkIndexes where !indexes.isEmpty && graph.documents[document] == nil {
            reextract.insert(document)
        }
        missingChunks = missing.sorted()
        extraChunks = extra.sorted()
        driftedChunks = drifted.sorted()
        // Reported once: chains and counts of these are rebuilt by their re-extraction.
        let damaged = Set(missing.map(\.documentID)).union(drifted.map(\.documentID))
        reextract.formUnion(damaged)

        brokenChains = Self.brokenChains(graph: graph, registry: registry) { held($0) && !damaged.contains($0) }

        var sums: [MentionPair: Int64] = [:]
        var stray: [ChunkMentionPair] = []
        for edge in graph.chunkMentions {
            guard let key = ChunkKey(chunkID: edge.chunkID), held(key.documentID) else { continue }
            let pair = MentionPair(documentID: key.documentID, entityID: edge.entityID)
            if registry.chunks[key] == nil || registry.mentions[pair] == nil {
                stray.append(ChunkMentionPair(entityID: edge.entityID, chunkID: edge.chunkID))
            } else if graph.chunks[key] != nil {
                sums[pair, default: 0] += edge.count ?? 0
            }
        }
        strayChunkMentions = Array(Set(stray)).sorted()
        var mismatched = Set<Int64>()
        for (pair, count) in registry.mentions
        where registry.chunkIndexes[pair.documentID] != nil && held(pair.documentID) && !damaged.contains(pair.documentID) {
            if sums[pair, default: 0] != count { mismatched.insert(pair.documentID) }
        }
        countMismatches = mismatched.sorted()
        reextract.formUnion(mismatched)
        documentsToReextract = reextract.sorted()
    }

    /// Documents among those `compared` whose NEXT_CHUNK (counted once per relationship, and
    /// for the documents of both ends) are not exactly their registry chunks in index order.
    private static func brokenChains(graph: GraphSnapshot, registry: RegistrySnapshot, compared: (Int64) -> Bool) -> [Int64] {
        var actual: [Int64: [GraphChunkLinkKey]] = [:]
        for link in graph.nextChunks {
            let ends = Set([ChunkKey(chunkID: link.from)?.documentID, ChunkKey(chunkID: link.to)?.documentID].compactMap { $0 })
            for document in ends where compared(document) {
                actual[document, default: []].append(GraphChunkLinkKey(from: link.from, to: link.to))
            }
        }
        var broken: [Int64] = []
        for document in Set(actual.keys).union(registry.chunkIndexes.keys) where compared(document) {
            let indexes = registry.chunkIndexes[document] ?? []
            let expected = zip(indexes, indexes.dropFirst()).map { previous, next in
                GraphChunkLinkKey(from: ChunkKey(documentID: document, index: previous).description,
                                  to: ChunkKey(documentID: document, index: next).description)
            }
            if (actual[document] ?? []).sorted() != expected.sorted() { broken.append(document) }
        }
        return broken.sorted()
    }

    /// A NEXT_CHUNK by its ends' ids, ordered so that two lists compare as multisets once sorted.
    private struct GraphChunkLinkKey: Hashable, Comparable {
        var from: String
        var to: String

        static func < (lhs: GraphChunkLinkKey, rhs: GraphChunkLinkKey) -> Bool { (lhs.from, lhs.to) < (rhs.from, rhs.to) }
    }
}
