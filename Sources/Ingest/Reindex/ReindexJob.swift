public import Extraction
import Foundation
public import GraphStore
public import Registry

/// `graphingest reindex`: applies only what changed on disk since the last load.
///
/// 1. Scan: plain files are judged by `stat`; containers are read and each record hashed.
/// 2. Plan (one registry round trip): new, changed, unchanged and, for a walked folder, gone.
/// 3. Orphan candidates: what the documents about to be replaced or deleted mention, recorded
///    in the run's row before anything is written.
/// 4. New and changed files (and containers holding new or changed records) go through the
///    ingest pipeline, which hashes them, skips what turns out identical, extracts the rest
///    and replaces each document's MENTIONS in one transaction (``CorpusProducer`` in front
///    of the ``CommitStage``).
/// 5. Gone documents are deleted from the graph and tombstoned.
/// 6. Entities that the replaced and deleted documents mentioned before, and that nothing
///    mentions now, are deleted (unless `keepOrphans`): a scoped sweep, never a global one.
///
/// Because the candidates of step 6 are recorded first, a run that dies part-way leaves them to
/// the next reindex, which sweeps them too: a killed and rerun reindex converges to what one
/// uninterrupted run gives.
public struct ReindexJob: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase
    public let configuration: PipelineConfiguration
    public let reader: CorpusReader
    public let extractor: Extractor
    /// Plan only (plain files that look changed are hashed to tell), change nothing.
    public let dryRun: Bool
    /// Leave entities that lose their last MENTIONS in the graph.
    public let keepOrphans: Bool
    /// The command line the run records.
    public let arguments: [String]
    public let progress: ProgressReporter
    /// Sources of each kind kept for the plan's report.
    public let sampleSize: Int

    public init(registry: RegistryStore, database: GraphDatabase, configuration: PipelineConfiguration,
                reader: CorpusReader, extractor: Extractor, dryRun: Bool, keepOrphans: Bool,
                arguments: [String], progress: ProgressReporter, sampleSize: Int = 5) {
        self.registry = registry
        self.database = database
        self.configuration = configuration
        self.reader = reader
        self.extractor = extractor
        self.dryRun = dryRun
        self.keepOrphans = keepOrphans
        self.arguments = arguments
        self.progress = progress
        self.sampleSize = sampleSize
    }

    private var graph: GraphWriter { database.writer }

    /// Scans and plans; unless a dry run, applies the plan as a worker of the registry's queue.
    public func run() async throws -> ReindexSummary {
        try await registry.requireMigrated()
        let started = ContinuousClock.now
        let (scan, plan, summary) = try await scanAndPlan()
        if dryRun {
            var summary = summary
            summary.seconds = (ContinuousClock.now - started).seconds
            return summary
        }
        let worker = QueueWorker(registry: registry, configuration: configuration, label: "reindex")
        return try await worker.run(command: "reindex", fingerprint: extractor.fingerprint, fingerprintParts: extractor.fingerprintParts) {
            try await apply(plan, scan: scan, summary: summary, started: started, worker: worker)
        }
    }

    /// Stages 1 and 2: the scan and the plan (for a dry run, with the look-alikes hashed), and
    /// the summary of the plan.
    private func scanAndPlan() async throws -> (ReindexScan, ReindexPlan, ReindexSummary) {
        var laps = StageLaps()
        var summary = ReindexSummary()
        summary.dryRun = dryRun
        let scan = await ReindexScan.scan(reader, workers: configuration.extractionWorkers)
        laps.lap("scan", into: &summary.stageSeconds)
        var plan = try await registry.planReindex(roots: scan.roots, found: scan.candidates, fingerprint: extractor.fingerprint)
        plan.gone = plan.gone.filter { scan.isGone($0.source, options: reader.options) }
        laps.lap("plan", into: &summary.stageSeconds)
        if dryRun {
            plan = try await hashLookAlikes(plan, scan: scan)
        }
        summary.new = plan.new.count
        summary.changed = plan.changed.count
        summary.unchanged = plan.unchanged.count
        summary.gone = plan.gone.count
        summary.samples = [
            "new": Array(plan.new.map(\.source).sorted().prefix(sampleSize)),
            "changed": Array(plan.changed.map(\.candidate.source).sorted().prefix(sampleSize)),
            "gone": Array(plan.gone.map(\.source).sorted().prefix(sampleSize)),
        ]
        return (scan, plan, summary)
    }

    /// Stages 3 to 6, recorded as a run: new and changed documents through the pipeline
    /// (claimed like an ingest's), gone ones deleted once claimed (one another worker holds is
    /// left to it and to the next reindex), then the orphan sweep. The co-occurrence threshold
    /// is resolved once, for the pipeline and the deletions' sync.
    private func apply(
        _ plan: ReindexPlan, scan: ReindexScan, summary: ReindexSummary, started: ContinuousClock.Instant, worker: QueueWorker
    ) async throws -> ReindexSummary {
        var summary = summary
        let recorder = RunRecorder(registry: registry)
        let runID = try await recorder.start("reindex", arguments: arguments)
        summary.runID = runID
        var laps = StageLaps()
        let candidates = keepOrphans ? nil : try await recordOrphanCandidates(plan, runID: runID)
        laps.lap("orphan_candidates", into: &summary.stageSeconds)
        let threshold = try await CooccurrenceSync.threshold(asked: configuration.minimumCooccurrence, registry: registry)
        summary.ingest = try await ingestNewAndChanged(plan, scan: scan, runID: runID, threshold: threshold, worker: worker)
        laps.lap("pipeline", into: &summary.stageSeconds)
        try await deleteGone(plan, threshold: threshold, worker: worker, into: &summary)
        laps.lap("gone", into: &summary.stageSeconds)
        if let candidates {
            summary.orphansDeleted = try await sweepOrphans(candidates, runID: runID)
            laps.lap("orphans", into: &summary.stageSeconds)
        }
        summary.ingest.communities = try await CommunityStep.atEndOfRun(registry: registry, database: database, configuration: configuration,
                                                                        minimumCount: threshold)
        laps.lap("communities", into: &summary.stageSeconds)
        summary.seconds = (ContinuousClock.now - started).seconds
        try await recorder.finish(runID, summary: summary)
        return summary
    }

    private var removal: DocumentRemoval {
        DocumentRemoval(registry: registry, graph: graph, configuration: configuration, fingerprint: extractor.fingerprint)
    }

    /// Stage 3: what the documents about to be replaced or deleted mention now, plus what
    /// earlier runs that died left unswept, recorded in the run's row before any write.
    private func recordOrphanCandidates(_ plan: ReindexPlan, runID: Int64) async throws -> DocumentRemoval.OrphanCandidates {
        try await removal.recordOrphanCandidates(touched: plan.changed.map(\.id) + plan.gone.map(\.id), command: "reindex", runID: runID)
    }

    /// Stage 4: new and changed documents through the ingest pipeline; containers that could
    /// not be read are read again, so that the failure becomes a dead letter.
    private func ingestNewAndChanged(
        _ plan: ReindexPlan, scan: ReindexScan, runID: Int64, threshold: Int, worker: QueueWorker
    ) async throws -> IngestSummary {
        var work: [String: CorpusReader.SourceFile] = [:]
        for source in plan.new.map(\.source) + plan.changed.map(\.candidate.source) {
            if let file = scan.plainFiles[source] {
                work[file.source] = file
            } else if let container = scan.recordContainer[source], let file = scan.containerFiles[container] {
                work[file.source] = file
            }
        }
        for container in scan.unreadable {
            work[container] = scan.containerFiles[container]
        }
        return try await Pipeline(registry: registry, graph: graph, runID: runID, fingerprint: extractor.fingerprint, configuration: configuration,
                                  cooccurrenceThreshold: threshold, label: "reindex", progress: progress, worker: worker)
            .run(CorpusProducer(reader: reader, extractor: extractor,
                                files: work.values.sorted { $0.source < $1.source }, missing: scan.missing, configuration: configuration,
                                worker: worker))
    }

    /// Stage 5: gone documents, claimed first (``DocumentRemoval/delete(_:threshold:worker:)``).
    private func deleteGone(_ plan: ReindexPlan, threshold: Int, worker: QueueWorker, into summary: inout ReindexSummary) async throws {
        // The pipeline made the run's threshold the one in force.
        let deletion = try await removal.delete(plan.gone.map(\.source), threshold: threshold, worker: worker)
        summary.goneHeldByOthers = deletion.heldByOthers
        summary.deleted = deletion.deleted
        summary.goneEdgeWrites = deletion.edgeWrites
    }

    /// Stage 6: the orphan sweep (``DocumentRemoval/sweepOrphans(_:runID:)``).
    /// - Returns: the entities deleted.
    private func sweepOrphans(_ candidates: DocumentRemoval.OrphanCandidates, runID: Int64) async throws -> Int {
        try await removal.sweepOrphans(candidates, runID: runID)
    }

    /// For the dry run: hashes the plain files that look changed by size and time, so that the
    /// plan says what a run would really extract.
    private func hashLookAlikes(_ plan: ReindexPlan, scan: ReindexScan) async throws -> ReindexPlan {
        var hashed: [ReindexCandidate] = []
        for changed in plan.changed {
            guard let file = scan.plainFiles[changed.candidate.source] else { continue }
            for case .document(let document) in reader.read(file) {
                hashed.append(ReindexCandidate(source: document.source, sha256: document.sha256))
            }
        }
        guard !hashed.isEmpty else { return plan }
        let again = try await registry.classify(hashed, fingerprint: extractor.fingerprint)
        let same = Set(again.unchanged.map(\.source))
        var refined = plan
        refined.changed.removeAll { same.contains($0.candidate.source) }
        refined.unchanged += again.unchanged
        return refined
    }
}

extension RegistryJSON {
    /// The integers of an array (other elements left out); empty for non-arrays.
    var integers: [Int64] {
        guard case .array(let elements) = self else { return [] }
        return elements.compactMap { element in
            if case .integer(let value) = element { return value }
            if case .number(let value) = element, value == value.rounded() { return Int64(value) }
            return nil
        }
    }
}
