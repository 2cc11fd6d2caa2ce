internal import Bolt
import PackStream

/// The writes of `graphingest check --repair` on the chunk layer: what the graph and the
/// registry alone can put right (chunks and relationships to take away, NEXT_CHUNK chains made
/// again from the registry's indexes). Each is idempotent and batched like the other repairs.
extension GraphWriter {
    /// Deletes the extra Chunk nodes the rows name, with their relationships; returns how many
    /// nodes went. Through the shared lane: a chunk's FROM_CHUNK lock Entity nodes.
    public func deleteChunks(_ rows: [GraphChunkDeletionRow]) async throws -> Int {
        var deleted = 0
        for batch in planner.batches(of: rows, lockKey: \.chunkID, estimatedBytes: { 24 + $0.chunkID.utf8.count }) {
            deleted += try await shared {
                try await self.count(GraphCypher.deleteChunks, ["rows": .rows(batch)])
            }
        }
        return deleted
    }

    /// Deletes every FROM_CHUNK between the (entity, chunk) pairs of `pairs` (their counts and
    /// offsets are not looked at).
    public func deleteChunkMentionPairs(_ pairs: [GraphChunkMentionRow]) async throws {
        try await shared {
            for batch in self.planner.batches(of: pairs, lockKey: \.entityID, estimatedBytes: \.estimatedBytes) {
                try await self.execute([(GraphCypher.deleteChunkMentionPairs, ["rows": .rows(batch)])])
            }
        }
    }

    /// Makes the NEXT_CHUNK chains of documents again: for each document, every NEXT_CHUNK
    /// leaving or reaching its chunks is deleted, then its chunks are linked in the order of
    /// `indexes` (the registry's), in one transaction per batch of documents. Chunks the graph
    /// lacks are skipped (the links to them cannot be made).
    ///
    /// - Parameter chains: document id -> its chunk indexes in ascending order.
    public func rebuildChunkChains(_ chains: [Int64: [Int64]]) async throws {
        let documents = chains.map { (id: $0.key, indexes: $0.value) }
        for batch in planner.batches(of: documents, lockKey: \.id, estimatedBytes: { 16 + 40 * $0.indexes.count }) {
            let ids: PackStreamParameter = .value(.list(batch.map { .integer($0.id) }))
            var links: [GraphChunkRow.Link] = []
            for document in batch {
                for (previous, next) in zip(document.indexes, document.indexes.dropFirst()) {
                    links.append(GraphChunkRow.Link(
                        from: GraphChunkRow.id(document: document.id, index: previous), to: GraphChunkRow.id(document: document.id, index: next)))
                }
            }
            var statements: [(String, [String: PackStreamParameter])] = [
                (GraphCypher.deleteNextChunksFromDocuments, ["ids": ids]),
                (GraphCypher.deleteNextChunksIntoDocuments, ["ids": ids]),
            ]
            if !links.isEmpty { statements.append((GraphCypher.createNextChunks, ["rows": .rows(links)])) }
            try await execute(statements)
        }
    }
}
