public import Kafka
import Synchronization

/// What `graphingest consume` reads and how: the brokers, topic and group, when to stop, and the
/// record fields.
public struct ConsumeOptions: Sendable {
    /// `host:port[,host:port...]`.
    public var brokers: String
    public var topic: String
    /// The consumer group (default `graphingest`).
    public var group: String
    /// Stop at the end offsets the partitions had at the start (a backfill).
    public var untilEnd: Bool
    /// librdkafka properties passed through (`--kafka-property`), after the defaults.
    public var properties: [KafkaProperty]
    /// The record fields holding a document's id and text.
    public var idField: String
    public var textField: String
    /// Also produce bad messages to this topic, with the error in headers.
    public var deadLetterTopic: String?
    /// Messages per round at most: a round is loaded, then its offsets committed.
    public var roundMessages: Int
    /// Bytes of message keys and values per round at most (the round closes once it holds
    /// this many; a single larger message is a round of its own). With the next round polled
    /// while one loads, about twice this is held at once, before extraction.
    public var roundBytes: Int
    /// How long a poll waits for the first message of a round.
    public var pollTimeout: Duration
    /// How long brokers lost after the start are waited for (librdkafka reconnects meanwhile)
    /// before the run stops with exit 3.
    public var brokerTimeout: Duration

    /// Makes the options.
    public init(brokers: String, topic: String, group: String = "graphingest", untilEnd: Bool = false, properties: [KafkaProperty] = [],
                idField: String = "id", textField: String = "text", deadLetterTopic: String? = nil,
                roundMessages: Int = ConsumeOptions.defaultRoundMessages, roundBytes: Int = ConsumeOptions.defaultRoundBytes,
                pollTimeout: Duration = .milliseconds(500), brokerTimeout: Duration = .seconds(60)) {
        self.brokers = brokers
        self.topic = topic
        self.group = group
        self.untilEnd = untilEnd
        self.properties = properties
        self.idField = idField
        self.textField = textField
        self.deadLetterTopic = deadLetterTopic
        self.roundMessages = max(1, roundMessages)
        self.roundBytes = max(1, roundBytes)
        self.pollTimeout = pollTimeout
        self.brokerTimeout = brokerTimeout
    }

    /// The default `--round-messages`: 20,000. Each round loads through a pipeline of its own,
    /// which merges again the Entity nodes its documents mention, so fewer, larger rounds cost
    /// less; `--round-bytes` bounds the memory.
    public static let defaultRoundMessages = 20_000

    /// The default `--round-bytes`: 32 MiB.
    public static let defaultRoundBytes = 32 << 20

    /// The documents' source prefix: `kafka://TOPIC/`.
    var sourcePrefix: String { "kafka://\(topic)/" }
}

/// Asks a running `consume` to stop: it finishes the round it is loading, commits its offsets,
/// leaves the group and returns. Set from a signal handler (SIGTERM, SIGINT).
public final class ConsumeStopSignal: Sendable {
    private let stopped = Atomic(false)

    public init() {}

    /// Asks the consumer to stop after its current round.
    public func stop() { stopped.store(true, ordering: .sequentiallyConsistent) }

    /// Whether a stop was asked.
    public var isStopped: Bool { stopped.load(ordering: .sequentiallyConsistent) }
}
