import CoreMetrics
import Registry
import Synchronization

/// Where every event of a pipeline run goes. One call counts it for the run's summary
/// (``IngestSummary``), moves the progress line (``ProgressReporter``) and feeds the metrics
/// (``IngestMetrics``), so the three cannot disagree and no stage touches them apart.
///
/// Thread-safe: the run's tasks report to it concurrently.
package final class RunTally: Sendable {
    /// A stage whose busy time, summed over its tasks, the summary's `stage_seconds` shows under
    /// its raw value.
    package enum Stage: String, Sendable, CaseIterable {
        case read, plan, claim, extract, commit
        /// The run's first and last co-occurrence syncs (folding deltas, writing pending edges).
        case cooccurrenceSync = "cooccurrence_sync"
        /// Pausing at the end, with nothing of its own left to commit, for documents other
        /// workers hold.
        case waitForOthers = "wait_for_others"
    }

    /// What the summary is made of.
    private struct Counts: Sendable {
        var summary = IngestSummary()
        var stages: [Stage: Duration] = [:]
        /// Of the commits, by step.
        var commitSteps: [BatchCommitter.CommitStep: Duration] = [:]
    }

    private let counts = Mutex(Counts())
    private let progress: ProgressReporter
    private let metrics: IngestMetrics

    /// - Parameters:
    ///   - progress: the run's progress line.
    ///   - metrics: the handles the events feed (a test passes its own factory's).
    package init(progress: ProgressReporter, metrics: IngestMetrics = IngestMetrics()) {
        self.progress = progress
        self.metrics = metrics
    }

    // MARK: Events

    /// The producer knows how many documents to expect (for the progress line's ETA).
    package func expecting(_ documents: Int) {
        progress.update { $0.expectedDocuments = documents }
    }

    /// Documents (files, records) read and hashed.
    package func read(_ documents: Int) {
        counts.withLock { $0.summary.read += documents }
    }

    /// Documents found loaded with the same content and fingerprint before a claim: skipped.
    package func unchanged(_ documents: Int) {
        guard documents > 0 else { return }
        counts.withLock { $0.summary.unchanged += documents }
        progress.update { $0.skipped += documents }
    }

    /// One claim of a group: what it claimed, and what it found loaded meanwhile (unchanged).
    package func claimed(_ outcome: ClaimOutcome) {
        let claimed = outcome.claimed.count
        let unchanged = outcome.unchanged.count
        counts.withLock {
            $0.summary.claims += 1
            $0.summary.claimed += claimed
            $0.summary.unchanged += unchanged
        }
        metrics.documentsClaimed.increment(by: claimed)
        progress.update {
            $0.claimed += claimed
            $0.skipped += unchanged
        }
    }

    /// The documents set aside now because other workers hold them (a level, not an increment).
    package func heldByOthers(_ documents: Int) {
        progress.update { $0.heldByOthers = documents }
    }

    /// Documents set aside that their holders then loaded, failed or deleted.
    package func settledByOthers(_ documents: Int) {
        counts.withLock { $0.summary.settledByOthers += documents }
    }

    /// Claimed documents going through extraction.
    package func extracting(_ documents: Int) {
        counts.withLock { $0.summary.extracted += documents }
    }

    /// One batch committed: what it loaded and wrote, and how many of its documents failed
    /// (their dead letters are reported apart, with ``deadLetters(_:)``).
    package func committed(_ outcome: BatchCommitter.Outcome) {
        counts.withLock {
            $0.summary.loaded += outcome.loaded
            $0.summary.mentions += outcome.mentions
            $0.summary.relationships += outcome.relationships
            $0.summary.chunks += outcome.chunks
            $0.summary.entities += outcome.entitiesFirstMentioned
            $0.summary.cooccurrence.add(outcome.cooccurrence)
            $0.summary.cooccurrence.add(outcome.edges)
            $0.summary.bytes += outcome.bytes
            $0.commitSteps.merge(outcome.steps, uniquingKeysWith: +)
        }
        metrics.documentsLoaded.increment(by: outcome.loaded)
        metrics.documentsFailed.increment(by: outcome.failures.count)
        metrics.documentRows.increment(by: outcome.loaded)
        metrics.entityRows.increment(by: outcome.entityNodes)
        metrics.mentionRows.increment(by: outcome.relationships)
        metrics.chunkRows.increment(by: outcome.chunks)
        metrics.relationRows.increment(by: outcome.edges.total)
        progress.update {
            $0.documents += outcome.loaded
            $0.bytes += outcome.bytes
            $0.mentions += outcome.mentions
        }
    }

    /// CO_OCCURS_WITH edges written outside a batch (the run's first and last syncs).
    package func synced(_ writes: CooccurrenceSync.Writes) {
        counts.withLock { $0.summary.cooccurrence.add(writes) }
    }

    /// Files, records or documents that went to dead letters.
    package func deadLetters(_ count: Int) {
        guard count > 0 else { return }
        counts.withLock { $0.summary.deadLetters += count }
        metrics.deadLetters.increment(by: count)
        progress.update { $0.deadLetters += count }
    }

    // MARK: Time

    /// Runs `body`, adding the time it took to `stage` (also when it throws).
    package func time<T>(_ stage: Stage, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { elapsed(stage, since: start) }
        return try body()
    }

    /// Runs `body`, adding the time it took to `stage` (also when it throws); a claim and a
    /// commit batch are also one measurement of their histograms.
    package func time<T>(_ stage: Stage, _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer { elapsed(stage, since: start) }
        return try await body()
    }

    private func elapsed(_ stage: Stage, since start: ContinuousClock.Instant) {
        let elapsed = max(.zero, ContinuousClock.now - start)
        counts.withLock { $0.stages[stage, default: .zero] += elapsed }
        switch stage {
        case .claim: metrics.claim.recordNanoseconds(elapsed.nanoseconds)
        case .commit: metrics.commitBatch.recordNanoseconds(elapsed.nanoseconds)
        case .read, .plan, .extract, .cooccurrenceSync, .waitForOthers: break
        }
    }

    // MARK: Results

    /// The run's summary so far; `seconds` is its wall time. Every stage and commit step has a
    /// key, busy or not.
    package func summary(seconds: Double) -> IngestSummary {
        counts.withLock { counts in
            var summary = counts.summary
            summary.seconds = seconds
            for stage in Stage.allCases {
                summary.stageSeconds[stage.rawValue] = counts.stages[stage, default: .zero].seconds
            }
            for step in BatchCommitter.CommitStep.allCases {
                summary.stageSeconds[step.rawValue] = counts.commitSteps[step, default: .zero].seconds
            }
            return summary
        }
    }

    /// Ends the progress line, so that what follows starts on a line of its own.
    package func finish() {
        progress.finish()
    }
}
