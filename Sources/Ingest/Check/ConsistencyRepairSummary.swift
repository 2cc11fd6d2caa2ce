/// What `check --repair` did, as its run in the registry records it.
public struct ConsistencyRepairSummary: Sendable, Codable, Equatable {
    public var runID: Int64?
    public var danglingMentionsDeleted = 0
    public var duplicateNodesDeleted = 0
    public var constraintsCreated = false
    public var documentsDeleted = 0
    public var entitiesDeleted = 0
    public var entitiesWritten = 0
    public var documentsWritten = 0
    public var mentionsDeleted = 0
    public var mentionsWritten = 0
    public var orphansDeleted = 0
    public var leasesReleased = 0
    public var chunksDeleted = 0
    public var chunkMentionsDeleted = 0
    public var chunkChainsRebuilt = 0
    /// CO_OCCURS_WITH deleted (extra, doubled or drifted ones), pair totals recomputed from the
    /// documents' counts, and edges written from the totals.
    public var relationsDeleted = 0
    public var pairTotalsRecomputed = 0
    public var relationsWritten = 0
    /// Documents a worker claimed, loaded or deleted while the repair read their range: left to it.
    public var documentsLeftToWorkers = 0
    /// Documents put back in the queue (`pending`) because only their text repairs them.
    public var documentsQueuedForReextraction = 0
    /// Documents the re-ingest of the corpus given to `check --repair` loaded, and its run.
    public var documentsReextracted = 0
    public var reextractionRunID: Int64?
    /// Rows the graph refused even alone, with the server's reason (no document text).
    public var rejected: [String] = []
    /// The communities computed again and compared with the graph, and what was written.
    public var communities: CommunitySummary?
    public var seconds = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", danglingMentionsDeleted = "dangling_mentions_deleted", duplicateNodesDeleted = "duplicate_nodes_deleted"
        case constraintsCreated = "constraints_created", documentsDeleted = "documents_deleted", entitiesDeleted = "entities_deleted"
        case entitiesWritten = "entities_written", documentsWritten = "documents_written", mentionsDeleted = "mentions_deleted"
        case mentionsWritten = "mentions_written", orphansDeleted = "orphans_deleted", leasesReleased = "leases_released"
        case chunksDeleted = "chunks_deleted", chunkMentionsDeleted = "chunk_mentions_deleted", chunkChainsRebuilt = "chunk_chains_rebuilt"
        case relationsDeleted = "relations_deleted", pairTotalsRecomputed = "pair_totals_recomputed", relationsWritten = "relations_written"
        case documentsQueuedForReextraction = "documents_queued_for_reextraction", documentsReextracted = "documents_reextracted"
        case reextractionRunID = "reextraction_run_id", documentsLeftToWorkers = "documents_left_to_workers"
        case rejected, seconds, communities
    }

    /// One human line.
    public var text: String {
        "deleted \(danglingMentionsDeleted) dangling MENTIONS, \(duplicateNodesDeleted) duplicate nodes, \(documentsDeleted) documents, "
            + "\(entitiesDeleted) unknown entities, \(mentionsDeleted) MENTIONS, \(orphansDeleted) orphans; "
            + "wrote \(documentsWritten) documents, \(entitiesWritten) entities, \(mentionsWritten) MENTIONS"
            + "; deleted \(chunksDeleted) chunks, \(chunkMentionsDeleted) FROM_CHUNK; rebuilt \(chunkChainsRebuilt) NEXT_CHUNK chains"
            + "; recomputed \(pairTotalsRecomputed) pair totals, deleted \(relationsDeleted) and wrote \(relationsWritten) CO_OCCURS_WITH"
            + "; queued \(documentsQueuedForReextraction) documents for re-extraction, re-extracted \(documentsReextracted)"
            + (reextractionRunID.map { " (run \($0))" } ?? "")
            + (constraintsCreated ? "; created the uniqueness constraints" : "")
            + "; left \(documentsLeftToWorkers) documents to the workers writing them; released \(leasesReleased) expired leases; \(rejected.count) rows refused, \(formatted(seconds, digits: 2)) s"
    }
}
