import Logging

/// The commit half of every pipeline (`ingest`, `load`, `reindex`): takes documents as producers
/// finish them, closes a batch at the document or the relationship bound, and commits batches on
/// `writers` concurrent tasks, streaming each batch's failures to the dead letters as they
/// happen.
package struct CommitStage: Sendable {
    /// When a batch closes: at whichever bound it reaches first.
    package struct Bounds: Sendable, Equatable {
        /// Documents per batch.
        package var documents: Int
        /// Relationships per batch (MENTIONS, and the chunks' with the chunks).
        package var relationships: Int

        package init(documents: Int, relationships: Int) {
            self.documents = max(1, documents)
            self.relationships = max(1, relationships)
        }
    }

    let committer: BatchCommitter
    let bounds: Bounds
    let writers: Int
    let deadLetters: DeadLetterSink
    let tally: RunTally
    let logger: Logger

    package init(committer: BatchCommitter, bounds: Bounds, writers: Int, deadLetters: DeadLetterSink,
                 tally: RunTally, logger: Logger = Logger(label: "graphingest")) {
        self.committer = committer
        self.bounds = bounds
        self.writers = max(1, writers)
        self.deadLetters = deadLetters
        self.tally = tally
        self.logger = logger
    }

    /// Commits everything `input` delivers until it is finished; an empty group closes the open
    /// batch at once.
    /// - Throws: when a server fails in a way rows cannot be blamed for; the queues of the run
    ///   are cancelled so the producer stops too.
    package func run(_ input: BoundedQueue<[DocumentLoad]>, queues: PipelineQueues) async throws {
        let batches = queues.make([DocumentLoad].self, capacity: writers)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addStage(queues) {
                var batcher = CommitBatcher(bounds: bounds)
                while let loads = await input.next() {
                    // An empty group asks for the open batch now: the producer is about to wait
                    // for other processes, which may be waiting for these documents.
                    if loads.isEmpty, let batch = batcher.flush() { await batches.send(batch) }
                    for load in loads {
                        if let batch = batcher.add(load) { await batches.send(batch) }
                    }
                }
                if let batch = batcher.flush() { await batches.send(batch) }
                batches.finish()
            }
            for _ in 0..<writers {
                group.addStage(queues) {
                    while let batch = await batches.next() {
                        try await commit(batch)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Commits one batch and accounts for it.
    func commit(_ batch: [DocumentLoad]) async throws {
        let outcome = try await tally.time(.commit) { try await committer.commit(batch) }
        logger.debug("committed a batch", metadata: [
            "documents": "\(batch.count)", "loaded": "\(outcome.loaded)", "failed": "\(outcome.failures.count)",
        ])
        tally.committed(outcome)
        try await deadLetters.record(outcome.failures)
    }
}

/// Groups documents into commit batches at the document or relationship bound.
package struct CommitBatcher: Sendable {
    let bounds: CommitStage.Bounds
    private var batch: [DocumentLoad] = []
    private var relationships = 0

    package init(bounds: CommitStage.Bounds) {
        self.bounds = bounds
    }

    /// Adds a document; returns the batch it closes, if it closes one.
    package mutating func add(_ load: DocumentLoad) -> [DocumentLoad]? {
        batch.append(load)
        // MENTIONS, and for each chunk its node, FROM_DOCUMENT, NEXT_CHUNK and FROM_CHUNK.
        relationships += load.mentions.count + load.chunks.reduce(0) { $0 + 2 + $1.mentions.count }
        guard batch.count >= bounds.documents || relationships >= bounds.relationships else { return nil }
        return flush()
    }

    /// The open batch, if it holds anything; the batcher starts afresh.
    package mutating func flush() -> [DocumentLoad]? {
        guard !batch.isEmpty else { return nil }
        defer {
            batch = []
            relationships = 0
        }
        return batch
    }
}
