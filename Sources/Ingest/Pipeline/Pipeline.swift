public import Communities
import Foundation
import Registry

/// How a pipeline run is sized: one configuration, set once from the command line and read by
/// every part (the servers' connection pools, the stages, the graph statement batches).
public struct PipelineConfiguration: Sendable, Equatable {
    /// Reading and extraction tasks; default all cores.
    public var extractionWorkers: Int
    /// Concurrent commits (each a graph write and a registry record).
    public var writers: Int
    /// A CO_OCCURS_WITH edge exists when its pair's count reaches this (`--min-cooccurrence`);
    /// nil keeps the threshold in force (the registry's, or ``defaultMinimumCooccurrence`` for a
    /// first run).
    public var minimumCooccurrence: Int?
    /// A commit batch closes at this many documents...
    public var documentsPerCommit: Int
    /// ...or at this many MENTIONS relationships, whichever comes first.
    public var relationshipsPerCommit: Int
    /// Rows per graph statement (`UNWIND $rows`) at most.
    public var statementRows: Int
    /// Estimated bytes per graph statement at most.
    public var statementBytes: Int
    /// Documents per registry look-up when skipping unchanged ones.
    public var planBatchSize: Int
    /// How long a claimed document stays with this process without a renewal (`--lease`).
    public var lease: Duration
    /// Whether a run waits, at its end, for documents other processes hold (not `--no-wait`).
    public var waitsForOthers: Bool
    /// Faults a test injects (none by default).
    public var faults = TestFaults()
    /// How the run's end clusters the co-occurrence graph into communities; nil skips it
    /// (`--no-communities`).
    public var communities: CommunityOptions? = .standard

    public init(extractionWorkers: Int = ProcessInfo.processInfo.activeProcessorCount, writers: Int = 2,
                documentsPerCommit: Int = 1_000, relationshipsPerCommit: Int = 5_000,
                statementRows: Int = 5_000, statementBytes: Int = 8 << 20, planBatchSize: Int = 512,
                minimumCooccurrence: Int? = nil, lease: Duration = PipelineConfiguration.defaultLease, waitsForOthers: Bool = true) {
        self.lease = max(.seconds(1), lease)
        self.waitsForOthers = waitsForOthers
        self.extractionWorkers = max(1, extractionWorkers)
        self.minimumCooccurrence = minimumCooccurrence.map { max(1, $0) }
        self.writers = max(1, writers)
        self.documentsPerCommit = max(1, documentsPerCommit)
        self.relationshipsPerCommit = max(1, relationshipsPerCommit)
        self.statementRows = max(1, statementRows)
        self.statementBytes = max(1, statementBytes)
        self.planBatchSize = max(1, planBatchSize)
    }

    /// The default `--min-cooccurrence`: 2. Pairs seen once are most of the pairs and say least
    /// (README, "Entity relations", has the figures).
    public static let defaultMinimumCooccurrence = 2

    /// The default `--lease`: 2 minutes. Renewed every third of it, so a document is taken over
    /// only from a process that stopped for that long.
    public static let defaultLease: Duration = .seconds(120)

    var commitBounds: CommitStage.Bounds {
        CommitStage.Bounds(documents: documentsPerCommit, relationships: relationshipsPerCommit)
    }
}

/// Makes the documents a run commits: reads and extracts a corpus (``CorpusProducer``), or
/// parses interchange JSONL (``InterchangeProducer``).
package protocol DocumentProducer: Sendable {
    /// Sends every document to `output`, in groups (one queue hand-over per group, not per
    /// document), and reports what it cannot use to `context.deadLetters`; the pipeline
    /// finishes `output` when this returns.
    func produce(into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws
}

/// What a producer shares with the rest of its run.
package struct PipelineContext: Sendable {
    /// The run's entities, numbered by the producer and resolved by the committer.
    package let ledger: EntityLedger
    /// Where the run's events go: its summary, progress line and metrics.
    package let tally: RunTally
    package let deadLetters: DeadLetterSink
    /// Make the producer's own queues here, so that a failure anywhere ends them too.
    package let queues: PipelineQueues
    /// The run the documents are loaded by (nil when none is recorded).
    package let runID: Int64?
    /// Whether a source met again in the run is a newer version that replaces the first (a
    /// stream's), rather than a duplicate whose first is kept (a corpus's).
    package var sourcesRepeat = false
}

/// One run of the pipeline: a producer in front of the one commit stage, joined by a bounded
/// queue, so memory stays flat however large the corpus.
///
/// ```
/// producer (read, plan, extract | parse) ─▶ batch ─▶ commit (writers: register, graph, record)
/// ```
package struct Pipeline: Sendable {
    let registry: any CommitRegistry
    let graph: any CommitGraph
    let runID: Int64?
    /// The extractor fingerprint recorded with loaded documents (nil for `load`).
    let fingerprint: String?
    let configuration: PipelineConfiguration
    /// The run's co-occurrence threshold, resolved once by its job
    /// (``CooccurrenceSync/threshold(asked:registry:)``).
    let cooccurrenceThreshold: Int
    /// The command, for stderr lines.
    let label: String
    let progress: ProgressReporter
    /// The queue worker whose claims the producer makes (nil for `load`).
    let worker: QueueWorker?
    /// Whether a source met again in the run replaces the first (``PipelineContext/sourcesRepeat``).
    let sourcesRepeat: Bool

    package init(registry: any CommitRegistry, graph: any CommitGraph, runID: Int64?, fingerprint: String?,
                 configuration: PipelineConfiguration, cooccurrenceThreshold: Int, label: String, progress: ProgressReporter,
                 worker: QueueWorker? = nil, sourcesRepeat: Bool = false) {
        self.sourcesRepeat = sourcesRepeat
        self.registry = registry
        self.graph = graph
        self.runID = runID
        self.fingerprint = fingerprint
        self.configuration = configuration
        self.cooccurrenceThreshold = cooccurrenceThreshold
        self.label = label
        self.progress = progress
        self.worker = worker
    }

    /// Runs `producer` into the commit stage until both are done.
    ///
    /// - Throws: when a server fails in a way rows cannot be blamed for; what was committed
    ///   before stays committed, and a rerun continues from there.
    package func run(_ producer: some DocumentProducer) async throws -> IngestSummary {
        let started = ContinuousClock.now
        let transactionsBefore = RegistryStore.transactionCount
        let tally = RunTally(progress: progress)
        let queues = PipelineQueues()
        let ledger = EntityLedger()
        let cooccurrence = CooccurrenceSync(registry: registry, graph: graph, minimumCount: cooccurrenceThreshold, faults: configuration.faults)
        let deadLetters = DeadLetterSink(registry: registry, runID: runID, label: label, tally: tally)
        let context = PipelineContext(ledger: ledger, tally: tally, deadLetters: deadLetters, queues: queues, runID: runID,
                                      sourcesRepeat: sourcesRepeat)
        let commit = CommitStage(
            committer: BatchCommitter(registry: registry, graph: graph, runID: runID, fingerprint: fingerprint, ledger: ledger,
                                      cooccurrence: cooccurrence, worker: worker, sourcesRepeat: sourcesRepeat),
            bounds: configuration.commitBounds, writers: configuration.writers, deadLetters: deadLetters,
            tally: tally)
        // Groups: 8 of the corpus producer (32 documents each) match the 256 documents the
        // queue held before; the interchange producer sends whole windows.
        let loads = queues.make([DocumentLoad].self, capacity: 8)
        defer { tally.finish() }
        // Edges an earlier run left pending (it crashed, or ran with another threshold) first.
        tally.synced(try await tally.time(.cooccurrenceSync) { try await cooccurrence.prepare() })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addStage(queues) {
                try await producer.produce(into: loads, context: context)
                loads.finish()
            }
            group.addStage(queues) {
                try await commit.run(loads, queues: queues)
            }
            try await group.waitForAll()
        }
        // Pairs a concurrent commit changed while their batch wrote them are still pending.
        tally.synced(try await tally.time(.cooccurrenceSync) { try await cooccurrence.writeAllPending() })
        var summary = tally.summary(seconds: (ContinuousClock.now - started).seconds)
        summary.runID = runID
        summary.registryTransactions = RegistryStore.transactionCount - transactionsBefore
        return summary
    }
}
