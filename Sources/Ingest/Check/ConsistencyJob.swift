public import Extraction
import Foundation
public import GraphStore
public import Registry

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

/// `graphingest check`: compares the graph with the registry range by range (``CheckRanges``),
/// holding one range at a time (``ConsistencyWalk``), and with `--repair` repairs it
/// (``ConsistencyRepairer``). The co-occurrence threshold the relations are compared at is
/// resolved once per run.
public struct ConsistencyJob: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase
    /// Sizes the re-extraction's ingest, when a corpus is given to the repair.
    public let configuration: PipelineConfiguration
    /// Sample ids shown per finding.
    public let sampleSize: Int
    public let ranges: CheckRanges

    public init(registry: RegistryStore, database: GraphDatabase, configuration: PipelineConfiguration,
                sampleSize: Int = 10, ranges: CheckRanges = CheckRanges()) {
        self.registry = registry
        self.database = database
        self.configuration = configuration
        self.sampleSize = sampleSize
        self.ranges = ranges
    }

    /// Compares both sides and reports; writes nothing.
    public func check() async throws -> ConsistencyCheckResult {
        try await registry.requireMigrated()
        let started = ContinuousClock.now
        let threshold = try await threshold()
        var walk = makeWalk(repairer: nil, threshold: threshold)
        try await walk.run()
        var result = ConsistencyCheckResult(report: walk.report, seconds: 0)
        result.communities = try await communities(.check, threshold: threshold)
        result.seconds = (ContinuousClock.now - started).seconds
        return result
    }

    /// The community step in `mode`, when the check covers everything (not a ranged check) and
    /// communities are on.
    private func communities(_ mode: CommunityStep.Mode, threshold: Int) async throws -> CommunitySummary? {
        guard ranges.takesUnrangedClasses, let options = configuration.communities else { return nil }
        return try await CommunityStep(registry: registry, database: database, options: options, minimumCount: threshold).run(mode)
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
    public func repair(arguments: [String], reextraction: ConsistencyReextraction? = nil) async throws -> ConsistencyCheckResult {
        try await registry.requireMigrated()
        let started = ContinuousClock.now
        let recorder = RunRecorder(registry: registry)
        let runID = try await recorder.start("check", arguments: arguments)
        let threshold = try await threshold()
        var walk = makeWalk(repairer: ConsistencyRepairer(registry: registry, graph: database.writer), threshold: threshold)
        walk.repair?.runID = runID
        try await walk.run()
        var summary = walk.repair ?? ConsistencyRepairSummary()
        let writes = try await CooccurrenceSync(registry: registry, graph: database.writer, minimumCount: threshold).writeAllPending()
        summary.relationsWritten = writes.created + writes.updated
        if ranges.takesUnrangedClasses {
            summary.leasesReleased = try await registry.releaseExpiredLeases().count
        }
        if let reextraction, !(try await registry.documentsAwaitingReextraction()).isEmpty {
            let ingested = try await IngestJob(
                registry: registry, database: database, configuration: configuration, reader: reextraction.reader,
                extractor: reextraction.extractor, arguments: arguments, progress: reextraction.progress
            ).run()
            summary.documentsReextracted = ingested.loaded
            summary.reextractionRunID = ingested.runID
        }
        summary.communities = try await communities(.repair, threshold: threshold)
        summary.seconds = (ContinuousClock.now - started).seconds
        try await recorder.finish(runID, summary: summary)

        var after = makeWalk(repairer: nil, threshold: threshold)
        try await after.run()
        var result = ConsistencyCheckResult(report: walk.report, repair: summary, after: after.report, seconds: 0)
        result.communities = try await communities(.check, threshold: threshold)
        result.seconds = (ContinuousClock.now - started).seconds
        return result
    }

    /// The threshold in force (a check asks for none).
    private func threshold() async throws -> Int {
        try await CooccurrenceSync.threshold(asked: nil, registry: registry)
    }

    /// One pass over this job's ranges.
    private func makeWalk(repairer: ConsistencyRepairer?, threshold: Int) -> ConsistencyWalk {
        ConsistencyWalk(sampleSize: sampleSize, ranges: ranges, threshold: threshold, registry: registry, database: database, repairer: repairer)
    }
}
