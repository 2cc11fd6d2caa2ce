public import Extraction
import Foundation
import GraphStore
import Registry

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
        case rejected, seconds
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

/// The corpus `check --repair` re-extracts documents from: the paths, gazetteer, rules and
/// options of `ingest`, read and extracted by the same pipeline.
public struct ConsistencyReextraction: Sendable {
    public var reader: CorpusReader
    public var extractor: Extractor
    public var progress: ProgressReporter

    public init(reader: CorpusReader, extractor: Extractor, progress: ProgressReporter) {
        self.reader = reader
        self.extractor = extractor
        self.progress = progress
    }
}

/// The outcome of `graphingest check`: the report, and with `--repair` what was repaired and the
/// report of the check run again afterwards.
public struct ConsistencyCheckResult: Sendable, Codable {
    public var report: ConsistencyReport
    public var repair: ConsistencyRepairSummary?
    public var after: ConsistencyReport?
    public var seconds: Double

    /// Whether the graph agrees with the registry at the end (after the repair, if any).
    public var isConsistent: Bool { (after ?? report).isConsistent }

    enum CodingKeys: String, CodingKey {
        case consistent, findings, repair, after, seconds
    }

    public init(report: ConsistencyReport, repair: ConsistencyRepairSummary? = nil, after: ConsistencyReport? = nil, seconds: Double) {
        self.report = report
        self.repair = repair
        self.after = after
        self.seconds = seconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        report = ConsistencyReport(findings: try container.decode([ConsistencyFinding].self, forKey: .findings))
        repair = try container.decodeIfPresent(ConsistencyRepairSummary.self, forKey: .repair)
        after = try container.decodeIfPresent(ConsistencyReport.self, forKey: .after)
        seconds = try container.decode(Double.self, forKey: .seconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isConsistent, forKey: .consistent)
        try container.encode(report.findings, forKey: .findings)
        try container.encodeIfPresent(repair, forKey: .repair)
        try container.encodeIfPresent(after, forKey: .after)
        try container.encode(seconds, forKey: .seconds)
    }
}

extension GraphIngestServers {
    /// `graphingest check`: compares both sides range by range (``CheckRanges``), holding one
    /// range at a time.
    public func check(sampleSize: Int = 10, ranges: CheckRanges = CheckRanges()) async throws -> ConsistencyCheckResult {
        try await requireMigrated()
        let started = ContinuousClock.now
        var walk = ConsistencyWalk(sampleSize: sampleSize, ranges: ranges, repair: nil)
        try await walk.run(on: self)
        return ConsistencyCheckResult(report: walk.report, seconds: (ContinuousClock.now - started).seconds)
    }

    /// `graphingest check --repair`: checks and repairs range by range (each range of entity
    /// ids, then its relations, then each range of document ids: compared, then repaired before
    /// the next is read), recorded as a run, then checks again.
    ///
    /// What the graph and the registry (the source of truth) alone can repair is repaired in
    /// place. A chunk's text is in the graph only, and the registry keeps chunk hashes, not text
    /// nor where each mention falls in a chunk: documents with missing or drifted chunks, or
    /// FROM_CHUNK counts that disagree with their MENTIONS, are put back in the queue instead
    /// (status `pending`, with an error that says why). `ingest` and `reindex` classify a
    /// document that is not `loaded` as changed, so their next run over the corpus re-extracts
    /// them, replacing their chunks and relationships as a whole; until then `check` reports them
    /// as `awaiting_reextraction`. Given `reextraction` (the corpus and extraction options),
    /// this runs that ingest at once, recorded as a run of its own, so one command repairs
    /// everything; with other options than the first ingest's, every document of the corpus is
    /// re-extracted (their fingerprint differs), which also leaves a consistent graph.
    ///
    /// Safe beside running workers: a range of documents is repaired with its registry rows
    /// locked, leaving out documents a worker touched since the range was read
    /// (``ConsistencyWalk``); pending pairs are left to the sync.
    public func checkAndRepair(
        sampleSize: Int = 10, ranges: CheckRanges = CheckRanges(), arguments: [String], reextraction: ConsistencyReextraction? = nil
    ) async throws -> ConsistencyCheckResult {
        try await requireMigrated()
        let started = ContinuousClock.now
        let recorder = RunRecorder(registry: registry)
        let runID = try await recorder.start("check", arguments: arguments)
        var walk = ConsistencyWalk(sampleSize: sampleSize, ranges: ranges, repair: ConsistencyRepairSummary())
        walk.repair?.runID = runID
        try await walk.run(on: self)
        var summary = walk.repair ?? ConsistencyRepairSummary()
        let threshold = try await CooccurrenceSync.threshold(asked: nil, registry: registry)
        let writes = try await CooccurrenceSync(registry: registry, graph: graph, minimumCount: threshold).writeAllPending()
        summary.relationsWritten = writes.created + writes.updated
        if ranges.takesUnrangedClasses {
            summary.leasesReleased = try await registry.releaseExpiredLeases().count
        }
        if let reextraction, !(try await registry.documentsAwaitingReextraction()).isEmpty {
            let ingested = try await ingest(
                reader: reextraction.reader, extractor: reextraction.extractor, arguments: arguments, progress: reextraction.progress)
            summary.documentsReextracted = ingested.loaded
            summary.reextractionRunID = ingested.runID
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        try await recorder.finish(runID, summary: summary)

        var after = ConsistencyWalk(sampleSize: sampleSize, ranges: ranges, repair: nil)
        try await after.run(on: self)
        return ConsistencyCheckResult(report: walk.report, repair: summary, after: after.report, seconds: (ContinuousClock.now - started).seconds)
    }

    /// Why a document was queued for re-extraction, as its registry row says.
    static let reextractionReason = "its chunks or FROM_CHUNK differ from the registry in a way only its text can repair "
        + "(missing or drifted chunks, or FROM_CHUNK counts that disagree with MENTIONS)"

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
