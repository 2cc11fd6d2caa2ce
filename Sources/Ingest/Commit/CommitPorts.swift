import GraphStore
import Registry

/// The graph as the commit stage sees it: idempotent writes, those of rows returning the rows
/// the server refused on their own (``GraphWriter`` in production, an in-memory graph in tests).
package protocol CommitGraph: Sendable {
    /// Merges Document nodes.
    func writeDocuments(_ rows: [GraphDocumentRow]) async throws -> [RejectedRow<GraphDocumentRow>]
    /// Merges Entity nodes.
    func writeEntities(_ rows: [GraphEntityRow]) async throws -> [RejectedRow<GraphEntityRow>]
    /// Replaces each document's MENTIONS and chunks in one transaction per batch.
    func replaceRelationships(_ documents: [GraphWriter.DocumentRelationships]) async throws -> [RejectedRow<GraphWriter.DocumentRelationships>]
    /// Sets CO_OCCURS_WITH edges to their totals, creates the `created` ones (which the graph
    /// does not hold) and deletes the `removed` ones.
    func writeCooccurrences(_ edges: [GraphCooccurrenceRow], creating created: [GraphCooccurrenceRow],
                            removed: [GraphCooccurrenceRow]) async throws
}

/// The registry as the commit stage sees it: ids first, the record of what landed last
/// (``RegistryStore`` in production, an in-memory registry in tests).
package protocol CommitRegistry: Sendable {
    /// Registers sources; returns each one's id, version and the run that last loaded it.
    func registerDocumentsReturningVersions(_ documents: [DocumentRegistration]) async throws -> [String: RegisteredDocument]
    /// Registers entity keys; returns their ids.
    func registerEntities(_ entities: [EntityRegistration]) async throws -> [String: Int64]
    /// Replaces the mention and chunk snapshots of the given documents (one transaction).
    func replaceMentionAndChunkSnapshots(mentions: [Int64: [MentionCount]], chunks: [Int64: [ChunkRecord]]) async throws
    /// Replaces the pair snapshots of the given documents and records the difference to the
    /// totals as deltas.
    func replacePairSnapshots(_ snapshots: [Int64: [PairCount]]) async throws
    /// Adds the recorded deltas to the totals (pairs whose edge must change become pending);
    /// returns how many totals changed.
    func foldPairDeltas(minimumCount: Int) async throws -> Int
    /// The totals of pending pairs: of those of `pairs`, or all (a page after `after`).
    func pendingPairTotals(among pairs: [EntityPair]?, after: EntityPair?, limit: Int) async throws -> [PairTotal]
    /// Records that the graph may hold edges for these pairs from now on (before a sync creates
    /// them).
    func markEdgesUncertain(_ pairs: [EntityPair]) async throws
    /// Records that the graph holds these totals now.
    func markPairsWritten(_ totals: [PairTotal], minimumCount: Int) async throws
    /// Runs `body` while no other process syncs edges.
    func withCooccurrenceLock<T: Sendable>(_ body: () async throws -> T) async throws -> T
    /// Runs `body` while no other process writes to shared Entity nodes.
    func withGraphWriteLock<T: Sendable>(_ body: () async throws -> T) async throws -> T
    /// The threshold in force, once a run has set one.
    func cooccurrenceThreshold() async throws -> Int?
    /// Makes a threshold the one in force; returns how many pairs became pending.
    func applyCooccurrenceThreshold(_ minimumCount: Int) async throws -> Int
    /// Marks documents loaded, unless another worker than `holder` holds them under a live lease.
    func markLoaded(_ documents: [LoadedDocument], holder: String?) async throws -> Int
    /// Marks documents failed, unless another worker than `holder` holds them under a live lease.
    func markFailed(_ documents: [FailedDocument], holder: String?) async throws -> Int
    /// Records dead letters.
    func addDeadLetters(_ letters: [DeadLetterInput]) async throws -> [Int64]
}

extension GraphWriter: CommitGraph {}
extension RegistryStore: CommitRegistry {}
