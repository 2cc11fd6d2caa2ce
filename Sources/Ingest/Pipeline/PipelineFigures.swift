import CoreMetrics
import Synchronization

/// Counters the pipeline's tasks add to concurrently.
package final class PipelineFigures: Sendable {
    package struct Counts: Sendable {
        var loaded = 0
        var unchanged = 0
        var read = 0
        var extracted = 0
        /// Documents claimed from the queue, and the claims (registry round trips) it took.
        var claimed = 0
        var claims = 0
        /// Documents set aside that their holders then loaded, failed or deleted.
        var settledByOthers = 0
        var deadLetters = 0
        var mentions = 0
        var relationships = 0
        var chunks = 0
        var entities = 0
        var cooccurrence = CooccurrenceSummary()
        var bytes: Int64 = 0
        var readNanoseconds: UInt64 = 0
        var planNanoseconds: UInt64 = 0
        var claimNanoseconds: UInt64 = 0
        var extractNanoseconds: UInt64 = 0
        var commitNanoseconds: UInt64 = 0
        /// The run's first and last co-occurrence syncs (folding deltas, writing pending edges).
        var syncNanoseconds: UInt64 = 0
        /// Pausing at the end, with nothing of its own left to commit, for documents other
        /// workers hold.
        var waitNanoseconds: UInt64 = 0
        /// Of the commits, by step.
        var commitSteps: [BatchCommitter.CommitStep: Duration] = [:]
    }

    private let counts = Mutex(Counts())

    package init() {}

    package func add(_ field: WritableKeyPath<Counts, Int>, _ value: Int) {
        counts.withLock { $0[keyPath: field] += value }
    }

    func record(_ outcome: BatchCommitter.Outcome) {
        counts.withLock {
            $0.loaded += outcome.loaded
            $0.mentions += outcome.mentions
            $0.relationships += outcome.relationships
            $0.chunks += outcome.chunks
            $0.entities += outcome.entitiesFirstMentioned
            $0.cooccurrence.add(outcome.cooccurrence)
            $0.cooccurrence.add(outcome.edges)
            $0.bytes += outcome.bytes
            $0.commitSteps.merge(outcome.steps, uniquingKeysWith: +)
        }
    }

    /// Adds edges written outside a batch (a run's first and last syncs).
    func record(_ writes: CooccurrenceSync.Writes) {
        counts.withLock { $0.cooccurrence.add(writes) }
    }

    func time<T>(_ field: WritableKeyPath<Counts, UInt64>, _ body: () throws -> T) rethrows -> T {
        let start = ContinuousClock.now
        defer { addElapsed(field, since: start) }
        return try body()
    }

    /// Times `body` into `field`, and into `timer` when one is given (the same measurement feeds
    /// the run's summary and the metrics).
    func time<T>(_ field: WritableKeyPath<Counts, UInt64>, recording timer: Timer? = nil,
                 _ body: () async throws -> T) async rethrows -> T {
        let start = ContinuousClock.now
        defer {
            let elapsed = addElapsed(field, since: start)
            timer?.recordNanoseconds(elapsed.nanoseconds)
        }
        return try await body()
    }

    @discardableResult
    private func addElapsed(_ field: WritableKeyPath<Counts, UInt64>, since start: ContinuousClock.Instant) -> Duration {
        let elapsed = ContinuousClock.now - start
        counts.withLock { $0[keyPath: field] += UInt64(max(0, elapsed.nanoseconds)) }
        return elapsed
    }

    package func summary(seconds: Double) -> IngestSummary {
        counts.withLock { counts in
            var summary = IngestSummary()
            summary.loaded = counts.loaded
            summary.unchanged = counts.unchanged
            summary.read = counts.read
            summary.extracted = counts.extracted
            summary.claimed = counts.claimed
            summary.claims = counts.claims
            summary.settledByOthers = counts.settledByOthers
            summary.deadLetters = counts.deadLetters
            summary.mentions = counts.mentions
            summary.relationships = counts.relationships
            summary.chunks = counts.chunks
            summary.entities = counts.entities
            summary.cooccurrence = counts.cooccurrence
            summary.bytes = counts.bytes
            summary.seconds = seconds
            summary.stageSeconds = [
                "read": Double(counts.readNanoseconds) / 1e9,
                "plan": Double(counts.planNanoseconds) / 1e9,
                "claim": Double(counts.claimNanoseconds) / 1e9,
                "extract": Double(counts.extractNanoseconds) / 1e9,
                "commit": Double(counts.commitNanoseconds) / 1e9,
                "cooccurrence_sync": Double(counts.syncNanoseconds) / 1e9,
                "wait_for_others": Double(counts.waitNanoseconds) / 1e9,
            ]
            for step in BatchCommitter.CommitStep.allCases {
                summary.stageSeconds[step.rawValue] = counts.commitSteps[step, default: .zero].seconds
            }
            return summary
        }
    }
}
