import GraphStore
import Registry

/// The graph as the commit stage sees it: three idempotent writes, each returning the rows the
/// server refused on their own (``GraphWriter`` in production, an in-memory graph in tests).
package protocol CommitGraph: Sendable {
    /// Merges Document nodes.
    func writeDocuments(_ rows: [GraphDocumentRow]) async throws -> [RejectedRow<GraphDocumentRow>]
    /// Merges Entity nodes.
    func writeEntities(_ rows: [GraphEntityRow]) async throws -> [RejectedRow<GraphEntityRow>]
    /// Replaces each document's MENTIONS and chunks in one transaction per batch.
    func replaceRelationships(_ documents: [GraphWriter.DocumentRelationships]) async throws -> [RejectedRow<GraphWriter.DocumentRelationships>]
}

/// The registry as the commit stage sees it: ids first, the record of what landed last
/// (``RegistryStore`` in production, an in-memory registry in tests).
package protocol CommitRegistry: Sendable {
    /// Registers sources; returns each one's id, version and the run that last loaded it.
    func registerDocumentsReturningVersions(_ documents: [DocumentRegistration]) async throws -> [String: RegisteredDocument]
    /// Registers entity keys; returns their ids.
    func registerEntities(_ entities: [EntityRegistration]) async throws -> [String: Int64]
    /// Replaces the mention snapshots of the given documents.
    func replaceMentionSnapshots(_ snapshots: [Int64: [MentionCount]]) async throws
    /// Replaces the chunk snapshots of the given documents.
    func replaceChunkSnapshots(_ snapshots: [Int64: [ChunkRecord]]) async throws
    /// Marks documents loaded.
    func markLoaded(_ documents: [LoadedDocument]) async throws -> Int
    /// Marks documents failed.
    func markFailed(_ documents: [FailedDocument]) async throws -> Int
    /// Records dead letters.
    func addDeadLetters(_ letters: [DeadLetterInput]) async throws -> [Int64]
}

extension GraphWriter: CommitGraph {}
extension RegistryStore: CommitRegistry {}
