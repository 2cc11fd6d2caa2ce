import Extraction
import Foundation
import GraphStore
import Registry

extension GraphIngestServers {
    /// `graphingest reindex`: applies only what changed on disk since the last load.
    ///
    /// 1. Scan: plain files are judged by `stat`; containers are read and each record hashed.
    /// 2. Plan (one registry round trip): new, changed, unchanged and, for a walked folder, gone.
    /// 3. New and changed files (and containers holding new or changed records) go through the
    ///    ingest pipeline, which hashes them, skips what turns out identical, extracts the rest
    ///    and replaces each document's MENTIONS in one transaction (``CorpusProducer`` in front
    ///    of the ``CommitStage``).
    /// 4. Gone documents are deleted from the graph and tombstoned.
    /// 5. Entities that the replaced and deleted documents mentioned before, and that nothing
    ///    mentions now, are deleted (unless `keepOrphans`): a scoped sweep, never a global one.
    ///
    /// The candidates of step 5 are recorded in the run's row before anything is written, so a
    /// run that dies part-way leaves them to the next reindex, which sweeps them too: a killed
    /// and rerun reindex converges to what one uninterrupted run gives.
    ///
    /// - Parameters:
    ///   - dryRun: plan only (plain files that look changed are hashed to tell), change nothing.
    ///   - sampleSize: sources of each kind kept for the plan's report.
    public func reindex(
        reader: CorpusReader, extractor: Extractor, dryRun: Bool, keepOrphans: Bool,
        arguments: [String], progress: ProgressReporter, sampleSize: Int = 5
    ) async throws -> ReindexSummary {
        try await requireMigrated()
        let started = ContinuousClock.now
        let scan = await ReindexScan.scan(reader, workers: configuration.extractionWorkers)
        let scanned = ContinuousClock.now
        var plan = try await registry.planReindex(roots: scan.roots, found: scan.candidates, fingerprint: extractor.fingerprint)
        plan.gone = plan.gone.filter { scan.isGone($0.source, options: reader.options) }
        let planned = ContinuousClock.now

        var summary = ReindexSummary()
        summary.dryRun = dryRun
        if dryRun {
            plan = try await hashLookAlikes(plan, scan: scan, reader: reader, fingerprint: extractor.fingerprint)
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
        summary.stageSeconds = ["scan": (scanned - started).seconds, "plan": (planned - scanned).seconds]
        if dryRun {
            summary.seconds = (ContinuousClock.now - started).seconds
            return summary
        }

        let worker = makeWorker(label: "reindex")
        return try await worker.run(command: "reindex", fingerprint: extractor.fingerprint, fingerprintParts: extractor.fingerprintParts) {
            [plan, summary, started] in
            try await apply(plan, scan: scan, summary: summary, started: started, reader: reader, extractor: extractor,
                            keepOrphans: keepOrphans, arguments: arguments, progress: progress, worker: worker)
        }
    }

    /// Applies a reindex plan as a worker of the registry's queue: new and changed documents
    /// through the pipeline (claimed like an ingest's), gone ones deleted once claimed (one another
    /// worker holds is left to it and to the next reindex), then the orphan sweep.
    private func apply(
        _ plan: ReindexPlan, scan: ReindexScan, summary: ReindexSummary, started: ContinuousClock.Instant,
        reader: CorpusReader, extractor: Extractor, keepOrphans: Bool, arguments: [String], progress: ProgressReporter,
        worker: QueueWorker
    ) async throws -> ReindexSummary {
        var summary = summary
        let recorder = RunRecorder(registry: registry)
        let runID = try await recorder.start("reindex", arguments: arguments)
        summary.runID = runID

        var mark = ContinuousClock.now
        func lap(_ stage: String) {
            let now = ContinuousClock.now
            summary.stageSeconds[stage, default: 0] += (now - mark).seconds
            mark = now
        }

        // Orphan candidates: what the documents about to be replaced or deleted mention now,
        // plus what earlier runs that died left unswept. Recorded before any write.
        var candidates = Set<Int64>()
        var inherited: [RunRecord] = []
        if !keepOrphans {
            let touched = plan.changed.map(\.id) + plan.gone.map(\.id)
            for counts in try await registry.mentionSnapshot(documentIDs: touched).values {
                candidates.formUnion(counts.map(\.entityID))
            }
            inherited = try await registry.unfinishedRuns(command: "reindex", excluding: runID).filter { $0.figures?[Self.sweptKey] == nil }
            for run in inherited {
                candidates.formUnion(run.figures?[Self.candidatesKey]?.integers ?? [])
            }
            try await registry.recordRunProgress(runID, figures: [Self.candidatesKey: .array(candidates.sorted().map { .integer($0) })])
        }
        lap("orphan_candidates")

        // New and changed documents through the ingest pipeline.
        var work: [String: CorpusReader.SourceFile] = [:]
        for source in plan.new.map(\.source) + plan.changed.map(\.candidate.source) {
            if let file = scan.plainFiles[source] {
                work[file.source] = file
            } else if let container = scan.recordContainer[source], let file = scan.containerFiles[container] {
                work[file.source] = file
            }
        }
        for container in scan.unreadable {
            work[container] = scan.containerFiles[container]  // read again so the failure becomes a dead letter
        }
        let ingested = try await pipeline(runID: runID, fingerprint: extractor.fingerprint, label: "reindex", progress: progress, worker: worker)
            .run(CorpusProducer(reader: reader, extractor: extractor, registry: registry,
                                files: work.values.sorted { $0.source < $1.source }, missing: scan.missing, configuration: configuration,
                                worker: worker))
        summary.documentsRead = ingested.read
        summary.documentsExtracted = ingested.extracted
        summary.loaded = ingested.loaded
        summary.unchangedAfterHash = ingested.unchanged
        summary.deadLetters = ingested.deadLetters
        summary.mentions = ingested.mentions
        summary.relationships = ingested.relationships
        summary.cooccurrence = ingested.cooccurrence
        for (stage, seconds) in ingested.stageSeconds { summary.stageSeconds[stage, default: 0] += seconds }
        lap("pipeline")

        // Gone: graph first, then the pairs out of the totals and the tombstone (a crash in
        // between is redone by the next run), then the edges whose totals fell.
        // Claimed first: a gone document another worker still holds is left to it (deleting it
        // under that worker would let its load bring it back).
        var goneIDs: [Int64] = []
        if !plan.gone.isEmpty {
            let claim = try await registry.claimDocuments(plan.gone.map { DocumentRegistration(source: $0.source) },
                                                          fingerprint: extractor.fingerprint, holder: worker.id, lease: worker.lease)
            goneIDs = claim.claimed.values.map(\.id).sorted()
            worker.hold(goneIDs)
            summary.goneHeldByOthers = claim.heldByOthers.count
        }
        if !goneIDs.isEmpty {
            try await registry.withGraphWriteLock { try await graph.deleteDocuments(goneIDs) }
            // The pipeline made the run's threshold the one in force.
            let threshold = try await CooccurrenceSync.threshold(asked: configuration.minimumCooccurrence, registry: registry)
            try await registry.replacePairSnapshots(Dictionary(uniqueKeysWithValues: goneIDs.map { ($0, []) }))
            summary.deleted = try await registry.markDeleted(goneIDs)
            worker.letGo(goneIDs)
            let writes = try await CooccurrenceSync(registry: registry, graph: graph, minimumCount: threshold).writeAllPending()
            summary.cooccurrence.add(writes)
        }
        lap("gone")

        if !keepOrphans {
            // Entities some snapshot still names keep their MENTIONS; the graph checks the rest
            // (again, so that what a concurrent run has just mentioned stays).
            let unmentioned = candidates.subtracting(try await registry.entitiesInSnapshots(among: candidates.sorted()))
            if !unmentioned.isEmpty {
                summary.orphansDeleted = try await registry.withGraphWriteLock {
                    try await graph.deleteOrphanEntities(among: unmentioned.sorted()).count
                }
            }
            for run in inherited {
                try await registry.recordRunProgress(run.id, figures: (run.figures ?? [:]).merging([Self.sweptKey: .integer(runID)]) { $1 })
            }
            lap("orphans")
        }
        summary.seconds = (ContinuousClock.now - started).seconds
        try await recorder.finish(runID, summary: summary)
        return summary
    }

    private static let candidatesKey = "orphan_candidates"
    private static let sweptKey = "orphans_swept_by"

    /// For the dry run: hashes the plain files that look changed by size and time, so that the
    /// plan says what a run would really extract.
    private func hashLookAlikes(_ plan: ReindexPlan, scan: ReindexScan, reader: CorpusReader, fingerprint: String) async throws -> ReindexPlan {
        var hashed: [ReindexCandidate] = []
        for changed in plan.changed {
            guard let file = scan.plainFiles[changed.candidate.source] else { continue }
            for case .document(let document) in reader.read(file) {
                hashed.append(ReindexCandidate(source: document.source, sha256: document.sha256))
            }
        }
        guard !hashed.isEmpty else { return plan }
        let again = try await registry.classify(hashed, fingerprint: fingerprint)
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
