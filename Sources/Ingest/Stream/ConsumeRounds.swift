import Extraction
import GraphStore
import Kafka
import Logging
import Registry

/// Loads `consume`'s rounds, each in this order: dead letters; orphan candidates recorded;
/// documents through the pipeline; tombstones deleted; orphans swept; lineage recorded; offsets
/// committed. Everything before the commit is idempotent, so a round cut off anywhere is done
/// again, to the same result, by whoever reads its messages next.
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

    /// Loads one round and commits its offsets.
    func load(_ round: ConsumeRound, into summary: inout ConsumeSummary) async throws {
        var laps = StageLaps()
        try await recordDead(round.dead)
        summary.dead += round.dead.count
        let touched = try await job.registry.liveDocumentIDs(sources: round.latest.map(\.source))
        let candidates = try await removal.recordOrphanCandidates(touched: touched.values.sorted(), command: "consume", runID: runID)
        laps.lap("stream_prepare", into: &summary.stageSeconds)
        let documents = round.documents
        if !documents.isEmpty {
            let pipeline = Pipeline(registry: job.registry, graph: job.database.writer, runID: runID, fingerprint: job.extractor.fingerprint,
                                    configuration: job.configuration, cooccurrenceThreshold: threshold, label: "consume",
                                    progress: job.progress, worker: worker, sourcesRepeat: true)
            summary.add(try await pipeline.run(StreamDocumentsProducer(documents: documents, extractor: job.extractor,
                                                                       configuration: job.configuration, worker: worker)))
        }
        laps.lap("stream_pipeline", into: &summary.stageSeconds)
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
