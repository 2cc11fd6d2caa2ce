import Extraction
import GraphStore
import Kafka
import Logging
import Registry

/// Loads `consume`'s rounds, each in this order: dead letters; orphan candidates recorded;
/// documents through the pipeline; tombstones deleted; orphans swept; lineage recorded; offsets
/// committed. Everything before the commit is idempotent, so a round cut off anywhere is done
/// again, to the same result, by whoever reads its messages next.
///
/// A round's pipeline may run while the round before it finishes (``start(_:after:)``):
/// the two hold no source in common (``ConsumeJob`` waits otherwise), and a round deletes,
/// sweeps, records lineage and commits its offsets only after the round before it did all of
/// that, so offsets are committed in order and never past a round that failed.
struct ConsumeRounds: Sendable {
    let job: ConsumeJob
    let stream: StreamState
    let runID: Int64
    let worker: QueueWorker
    let threshold: Int
    let deadLetterTopic: KafkaProducer?

    private var logger: Logger { Logger(label: "consume") }

    private var removal: DocumentRemoval {
        DocumentRemoval(registry: job.registry, graph: job.database.writer, configuration: job.configuration,
                        fingerprint: job.extractor.fingerprint)
    }

    /// A round on its way: its sources, the entities its documents mentioned before (which it
    /// may leave without MENTIONS, until it swept them), and the task loading it, which returns
    /// the round's figures.
    struct Load: Sendable {
        let sources: Set<String>
        let candidates: Set<Int64>
        let task: Task<ConsumeSummary, any Error>

        /// The round's figures, once it is loaded and its offsets committed.
        var figures: ConsumeSummary {
            get async throws { try await task.value }
        }
    }

    /// Starts loading `round`: its documents at once, the rest once `earlier` (the round before,
    /// still loading) has committed its offsets. The orphan candidates of `earlier`, not swept
    /// yet, are recorded again with this round's (a crash before their sweep then leaves them to
    /// the next run).
    func start(_ round: ConsumeRound, after earlier: Load?) async throws -> Load {
        try await recordDead(round.dead)
        let touched = try await job.registry.liveDocumentIDs(sources: round.latest.map(\.source))
        let candidates = try await removal.recordOrphanCandidates(touched: touched.values.sorted(), command: "consume", runID: runID,
                                                                  carried: earlier?.candidates ?? [])
        let task = Task {
            try await load(round, touched: touched, candidates: candidates, after: earlier)
        }
        return Load(sources: Set(round.latest.map(\.source)), candidates: candidates.mentionedByTouched, task: task)
    }

    /// Loads one round and commits its offsets once `earlier` has committed its own.
    private func load(_ round: ConsumeRound, touched: [String: Int64], candidates: DocumentRemoval.OrphanCandidates,
                      after earlier: Load?) async throws -> ConsumeSummary {
        var summary = ConsumeSummary()
        summary.dead += round.dead.count
        var laps = StageLaps()
        let documents = round.documents
        if !documents.isEmpty {
            let pipeline = Pipeline(registry: job.registry, graph: job.database.writer, runID: runID, fingerprint: job.extractor.fingerprint,
                                    configuration: job.configuration, cooccurrenceThreshold: threshold, label: "consume",
                                    progress: job.progress, worker: worker, sourcesRepeat: true)
            summary.add(try await pipeline.run(StreamDocumentsProducer(documents: documents, extractor: job.extractor,
                                                                       configuration: job.configuration, worker: worker)))
        }
        laps.lap("stream_pipeline", into: &summary.stageSeconds)
        // The round before deletes, sweeps and commits first: offsets go in order, and a round
        // that failed stops the ones after it from committing past its messages.
        if let earlier { _ = try await earlier.figures }
        laps.lap("stream_wait_for_previous_round", into: &summary.stageSeconds)
        // A tombstone of a source the registry does not hold, or holds deleted, has nothing to do.
        let deletion = try await removal.delete(round.deletions.filter { touched[$0] != nil }, threshold: threshold, worker: worker)
        summary.deleted += deletion.deleted
        summary.orphansDeleted += try await removal.sweepOrphans(candidates, runID: runID)
        laps.lap("stream_delete_and_sweep", into: &summary.stageSeconds)
        try await job.registry.recordStreamPositions(round.latest.compactMap { latest in
            guard case .load(let document) = latest.action else { return nil }
            return (document.source, document.sha256, latest.position)
        })
        try await commit(round, into: &summary)
        laps.lap("stream_lineage_and_offsets", into: &summary.stageSeconds)
        summary.consumed += round.messageCount
        summary.superseded += round.superseded
        summary.rounds += 1
        return summary
    }

    /// Commits the round's offsets. A commit the group refuses (this consumer lost the
    /// partitions meanwhile) is not an error: the new owner reads the round again and finds it
    /// loaded. Brokers that do not answer are waited for (``BrokerOutage``).
    private func commit(_ round: ConsumeRound, into summary: inout ConsumeSummary) async throws {
        do {
            try await stream.commit(round.commitOffsets)
            for position in round.commitOffsets { summary.committedOffsets[String(position.partition)] = position.offset }
        } catch let error as KafkaError where error.code != .unreachable && error.code != .fatal {
            logger.warning("offsets not committed (\(error.message)); the partitions' next owner reads these messages again")
        }
    }

    /// Records messages that cannot be used as dead letters (with topic, partition and offset),
    /// and produces them to the dead-letter topic when there is one.
    private func recordDead(_ dead: [ConsumeRound.Dead]) async throws {
        guard !dead.isEmpty else { return }
        for letter in dead {
            logger.warning("read failed: \(letter.reason)", metadata: [
                "source": "\(letter.source)", "partition": "\(letter.position.partition)", "offset": "\(letter.position.offset)",
            ])
        }
        _ = try await job.registry.addDeadLetters(dead.map {
            DeadLetterInput(runID: runID, source: $0.source, stage: .read, error: $0.reason, stream: $0.position)
        })
        guard let deadLetterTopic, let topic = job.options.deadLetterTopic else { return }
        for letter in dead {
            // Kafka Connect's dead-letter headers, so its tooling reads these too.
            try await deadLetterTopic.send(topic: topic, key: letter.key, value: letter.value ?? [], headers: [
                ("__connect.errors.topic", letter.position.topic), ("__connect.errors.partition", String(letter.position.partition)),
                ("__connect.errors.offset", String(letter.position.offset)), ("__connect.errors.exception.message", letter.reason),
            ])
        }
        try await stream.outage.reaching("dead-letter topic") { try await deadLetterTopic.flush(timeout: stream.outage.requestTimeout) }
    }
}
