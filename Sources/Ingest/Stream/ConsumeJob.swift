public import Extraction
import Foundation
public import GraphStore
import Kafka
import Logging
public import Registry

/// `graphingest consume`: a Kafka topic into the graph and the registry, as a member of a
/// consumer group and a worker of the registry's queue, recorded as one run.
///
/// The stream is taken in rounds: poll up to ``ConsumeOptions/roundMessages`` messages; keep the
/// latest message of each source; load the documents through the ingest pipeline
/// (``StreamDocumentsProducer`` in front of the one commit stage), delete the tombstoned ones as
/// `reindex` deletes a gone file (``DocumentRemoval``), sweep the entities they leave without
/// MENTIONS, record each document's topic, partition and offset; and only then commit the
/// round's offsets. A crash anywhere leaves the offsets before the round, so the round is read
/// again; its loads are idempotent and its unchanged documents are skipped: exactly once in
/// effect. Partitions revoked while a round is polled drop their messages (the new owner reads
/// them again); while a round loads nothing is polled, so librdkafka's fetch queue is the only
/// buffer and memory does not grow with the topic. Brokers lost mid-run are waited for up to
/// ``ConsumeOptions/brokerTimeout``, then the run stops (exit 3) and a rerun continues.
public struct ConsumeJob: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase
    public let configuration: PipelineConfiguration
    public let extractor: Extractor
    public let options: ConsumeOptions
    /// The command line the run records (secrets already redacted).
    public let arguments: [String]
    public let progress: ProgressReporter
    public let stop: ConsumeStopSignal

    public init(registry: RegistryStore, database: GraphDatabase, configuration: PipelineConfiguration, extractor: Extractor,
                options: ConsumeOptions, arguments: [String], progress: ProgressReporter, stop: ConsumeStopSignal) {
        self.registry = registry
        self.database = database
        self.configuration = configuration
        self.extractor = extractor
        self.options = options
        self.arguments = arguments
        self.progress = progress
        self.stop = stop
    }

    /// Consumes until the end offsets of the start (``ConsumeOptions/untilEnd``) or until
    /// ``stop`` is set; then commits, leaves the group and returns.
    /// - Throws: ``IngestError`` `unreachable` naming the brokers when none answers at the start,
    ///   or when brokers lost later stay silent for ``ConsumeOptions/brokerTimeout``;
    ///   `configuration` for an unknown topic or a property librdkafka refuses.
    public func run() async throws -> ConsumeSummary {
        try await registry.requireMigrated()
        let consumer = try KafkaConsumer(brokers: options.brokers, group: options.group, topic: options.topic, properties: options.properties)
        let deadLetterTopic = try options.deadLetterTopic.map { _ in try KafkaProducer(brokers: options.brokers, properties: options.properties) }
        do {
            let stream = try await StreamState.start(consumer: consumer, options: options, stop: stop)
            let worker = QueueWorker(registry: registry, configuration: configuration, label: "consume")
            let summary = try await worker.run(command: "consume", fingerprint: extractor.fingerprint,
                                               fingerprintParts: extractor.fingerprintParts) {
                try await RunRecorder(registry: registry).recording("consume", arguments: arguments) { runID in
                    try await consume(stream, runID: runID, worker: worker, deadLetterTopic: deadLetterTopic)
                }
            }
            await consumer.close()
            await deadLetterTopic?.close()
            return summary
        } catch {
            await consumer.close()
            await deadLetterTopic?.close()
            throw error
        }
    }

    /// The rounds, then the community step.
    ///
    /// The next round is polled while one loads, and starts loading while the one before it
    /// finishes, so polling, decoding, the end of one round's pipeline and its deletes, lineage
    /// and offsets overlap the next round's work. At most two rounds are on their way: before a
    /// round is polled, the one before the round loading now has finished. A round that shares a
    /// source with the round loading waits for it (a newer version, or a tombstone, comes after
    /// the older one).
    private func consume(_ stream: StreamState, runID: Int64, worker: QueueWorker, deadLetterTopic: KafkaProducer?) async throws -> ConsumeSummary {
        let started = ContinuousClock.now
        var summary = ConsumeSummary()
        summary.runID = runID
        let threshold = try await CooccurrenceSync.threshold(asked: configuration.minimumCooccurrence, registry: registry)
        let rounds = ConsumeRounds(job: self, stream: stream, runID: runID, worker: worker, threshold: threshold, deadLetterTopic: deadLetterTopic)
        var loading: ConsumeRounds.Load?
        do {
            var polling = StreamPolling(untilEnd: options.untilEnd)
            // Whether the last poll found nothing while nothing was loading.
            var idle = false
            while !stop.isStopped {
                var laps = StageLaps()
                var messages: [KafkaMessage] = []
                // With nothing left to poll (`--until-end`), the round loading is waited for.
                var poll = loading == nil
                if !poll { poll = try await polling.hasMoreToPoll(stream) }
                if poll {
                    messages = try await stream.pollRound(maximum: options.roundMessages, maximumBytes: options.roundBytes, stop: stop,
                                                          finished: polling.notToFetch(stream), idle: idle)
                    try await polling.polled(messages, stream: stream)
                }
                idle = poll && messages.isEmpty && loading == nil
                laps.lap("stream_poll", into: &summary.stageSeconds)
                if messages.isEmpty {
                    // Nothing new: the round loading finishes before the end is looked for.
                    if let load = loading { summary.add(try await load.figures) }
                    loading = nil
                } else {
                    let round = await ConsumeRound.decoding(messages, decoder: StreamRecordDecoder(idField: options.idField, textField: options.textField),
                                                            sourcePrefix: options.sourcePrefix, tasks: configuration.extractionWorkers)
                    if let load = loading, !load.sources.isDisjoint(with: round.latest.lazy.map(\.source)) {
                        summary.add(try await load.figures)
                        loading = nil
                    }
                    laps.lap("stream_decode", into: &summary.stageSeconds)
                    let next = try await rounds.start(round, after: loading)
                    if let load = loading { summary.add(try await load.figures) }
                    loading = next
                    laps.lap("stream_wait_for_round", into: &summary.stageSeconds)
                }
                try await stream.reportLag()
                if options.untilEnd, loading == nil, try await polling.reachedEnd(stream) { break }
                laps.lap("stream_lag_and_end", into: &summary.stageSeconds)
            }
            if let load = loading { summary.add(try await load.figures) }
            loading = nil
        } catch {
            // A round still on its way ends before the consumer closes (its offsets may still be
            // committed: everything before them is loaded).
            if let load = loading { _ = try? await load.figures }
            throw error
        }
        summary.communities = try await CommunityStep.atEndOfRun(registry: registry, database: database, configuration: configuration,
                                                                 minimumCount: threshold)
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }
}
