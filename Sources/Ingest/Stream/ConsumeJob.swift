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
    private func consume(_ stream: StreamState, runID: Int64, worker: QueueWorker, deadLetterTopic: KafkaProducer?) async throws -> ConsumeSummary {
        let started = ContinuousClock.now
        var summary = ConsumeSummary()
        summary.runID = runID
        let threshold = try await CooccurrenceSync.threshold(asked: configuration.minimumCooccurrence, registry: registry)
        let rounds = ConsumeRounds(job: self, stream: stream, runID: runID, worker: worker, threshold: threshold, deadLetterTopic: deadLetterTopic)
        var laps = StageLaps()
        while !stop.isStopped {
            let messages = try await stream.pollRound(maximum: options.roundMessages, stop: stop)
            laps.lap("stream_poll", into: &summary.stageSeconds)
            if !messages.isEmpty {
                let round = ConsumeRound(messages, decoder: StreamRecordDecoder(idField: options.idField, textField: options.textField),
                                         sourcePrefix: options.sourcePrefix)
                laps.lap("stream_decode", into: &summary.stageSeconds)
                try await rounds.load(round, into: &summary)
                laps = StageLaps()
            }
            try await stream.reportLag()
            if options.untilEnd, try await stream.reachedEnd() { break }
            laps.lap("stream_lag_and_end", into: &summary.stageSeconds)
        }
        summary.communities = try await CommunityStep.atEndOfRun(registry: registry, database: database, configuration: configuration,
                                                                 minimumCount: threshold)
        summary.seconds = (ContinuousClock.now - started).seconds
        return summary
    }
}
