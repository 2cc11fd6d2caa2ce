import ArgumentParser
import Dispatch
import Extraction
import Foundation
import Ingest
import Kafka

struct ConsumeCommand: AsyncParsableCommand, TelemetryCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume", abstract: "Load a Kafka topic of JSON records into the graph and the registry, as a consumer group member.",
        discussion: """
        Each message's value is one record, as a line of a JSONL corpus; its source is kafka://TOPIC/ID \
        (the message key when the record has no id). A key with a null value (a tombstone) deletes \
        the document. Offsets are committed after the documents are in the graph and the registry; \
        a crash or rebalance reads a round again and finds it loaded. Messages that are not JSON \
        records go to dead letters. Run more processes with the same --group to share the \
        partitions. SIGTERM or SIGINT: finish the round, commit, leave the group, exit 0. Brokers \
        lost mid-run are waited for up to --broker-timeout, then exit 3; a rerun continues.
        """)
    @OptionGroup(title: "Stream") var stream: StreamArguments
    @OptionGroup var dictionary: DictionaryOptions
    @OptionGroup var extraction: CorpusArguments
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var telemetry: TelemetryOptions
    @OptionGroup var lease: LeaseOptions

    func run() async throws {
        let extractor = try CommandRunner.configuring("consume") { try extraction.makeStreamExtractor(dictionary) }
        let stop = ConsumeStopSignal()
        let signals = StopSignals(stop)
        defer { signals.cancel() }
        let configuration = lease.applied(to: pipeline.configuration(extractionWorkers: extraction.workerCount))
        try await telemetry.withMetrics("consume") { try await CommandRunner.run("consume", connection: connection, configuration: configuration) { servers in
            let summary = try await ConsumeJob(
                registry: servers.registry, database: servers.database, configuration: servers.configuration, extractor: extractor,
                options: stream.options(idField: extraction.idField, textField: extraction.textField),
                arguments: StreamArguments.redacted(recordedArguments),
                progress: ProgressReporter(label: "consume", enabled: !pipeline.quiet && telemetry.showsProgress), stop: stop
            ).run()
            printError("consume: \(summary.text)")
            if pipeline.json { JSONOutput.print(summary) }
            return summary.dead > 0 ? .finishedWithProblems : .success
        } }
    }
}

/// The options that say which stream `consume` reads.
struct StreamArguments: ParsableArguments {
    @Option(help: "Kafka brokers: HOST:PORT[,HOST:PORT...].") var brokers: String
    @Option(help: "The topic to read.") var topic: String
    @Option(help: "The consumer group; processes with the same group share the partitions.") var group: String = "graphingest"
    @Flag(help: "Stop at the end offsets the partitions had at the start (a backfill).") var untilEnd = false
    @Option(help: ArgumentHelp("A librdkafka property, KEY=VALUE (repeatable): SASL, TLS, timeouts. Secrets are recorded as ***.",
                               valueName: "key=value"))
    var kafkaProperty: [KafkaPropertyArgument] = []
    @Option(help: "Also produce messages that cannot be used to this topic, with the error in headers.") var deadLetterTopic: String?
    @Option(help: "Messages per round at most: a round is loaded, then its offsets committed.")
    var roundMessages: Int = ConsumeOptions.defaultRoundMessages
    @Option(help: ArgumentHelp("Bytes of messages per round at most, such as 32MB (the next round is polled while one loads).",
                               valueName: "size"))
    var roundBytes = ByteCount(bytes: ConsumeOptions.defaultRoundBytes, description: "32MB")
    @Option(help: ArgumentHelp(
        "How long brokers lost mid-run are waited for before consume stops with exit 3, such as 60s, 5m or 90 (seconds).",
        discussion: "librdkafka reconnects meanwhile and the run goes on when they answer; after the wait a rerun continues from the last committed offsets. Brokers that do not answer at the start are exit 3 at once.",
        valueName: "duration"))
    var brokerTimeout = DurationArgument(.seconds(60), description: "60s")

    func validate() throws {
        guard roundMessages >= 1 else { throw ValidationError("--round-messages must be at least 1") }
        guard roundBytes.bytes >= 1 else { throw ValidationError("--round-bytes must be at least 1 byte") }
        guard !brokers.isEmpty else { throw ValidationError("--brokers must name at least one HOST:PORT") }
        guard brokerTimeout.duration >= .seconds(1) else { throw ValidationError("--broker-timeout must be at least 1s") }
    }

    func options(idField: String, textField: String) -> ConsumeOptions {
        ConsumeOptions(brokers: brokers, topic: topic, group: group, untilEnd: untilEnd, properties: kafkaProperty.map(\.property),
                       idField: idField, textField: textField, deadLetterTopic: deadLetterTopic, roundMessages: roundMessages,
                       roundBytes: roundBytes.bytes, brokerTimeout: brokerTimeout.duration)
    }

    /// The command line with the values of secret `--kafka-property` settings replaced by `***`.
    static func redacted(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var takesProperty = false
        for argument in arguments {
            if takesProperty {
                result.append(KafkaPropertyArgument.redacted(argument))
            } else if argument.hasPrefix("--kafka-property=") {
                result.append("--kafka-property=" + KafkaPropertyArgument.redacted(String(argument.dropFirst("--kafka-property=".count))))
            } else {
                result.append(argument)
            }
            takesProperty = argument == "--kafka-property"
        }
        return result
    }
}

/// `KEY=VALUE`, a librdkafka property.
struct KafkaPropertyArgument: ExpressibleByArgument {
    var property: KafkaProperty

    init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        property = KafkaProperty(String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    /// `KEY=***` for a secret's argument, else the argument.
    static func redacted(_ argument: String) -> String {
        guard let parsed = KafkaPropertyArgument(argument: argument), parsed.property.isSecret else { return argument }
        return parsed.property.name + "=***"
    }
}

/// SIGTERM and SIGINT ask `consume` to stop after its round, instead of ending the process.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ stop: ConsumeStopSignal) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
