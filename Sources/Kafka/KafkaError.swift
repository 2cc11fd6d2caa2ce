/// An error from the Kafka client: librdkafka's code and text, and the operation that failed.
///
/// `description` names the operation, the code and librdkafka's message; it never holds a
/// message's key or value, or a configuration value (SASL passwords travel as properties).
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; extensible, so match with `==` rather than `switch`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case configuration
            case unreachable
            case unknownTopic
            case topicExists
            case fatal
            case failed
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A property librdkafka refuses, or a handle it could not make.
        public static let configuration = Code(.configuration)
        /// No broker answered in time (connection refused, timed out, all brokers down, no group
        /// coordinator).
        public static let unreachable = Code(.unreachable)
        /// The brokers do not know the topic.
        public static let unknownTopic = Code(.unknownTopic)
        /// A topic to create exists already.
        public static let topicExists = Code(.topicExists)
        /// The client cannot go on (librdkafka's fatal error).
        public static let fatal = Code(.fatal)
        /// Any other failure; see ``KafkaError/kafkaCode``.
        public static let failed = Code(.failed)

        /// The code's name, e.g. `unreachable`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// librdkafka's `rd_kafka_resp_err_t` (negative codes are the client's own, positive the protocol's).
    public var kafkaCode: Int32
    /// The operation that failed, for example `commit` or `metadata`.
    public var operation: String
    /// librdkafka's text.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, kafkaCode: Int32 = 0, operation: String, message: String) {
        self.code = code
        self.kafkaCode = kafkaCode
        self.operation = operation
        self.message = message
    }

    /// An error from librdkafka's code: transport, timeout and coordinator codes are `unreachable`, 3 is
    /// `unknownTopic`, 36 `topicExists`.
    init(kafkaCode: Int32, operation: String, message: String) {
        let code: Code = switch kafkaCode {
        case -195, -185, -187: .unreachable  // _TRANSPORT, _TIMED_OUT, _ALL_BROKERS_DOWN
        // _WAIT_COORD, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR:
        // the group has no coordinator to answer, which a lost broker looks like to a commit.
        case -180, 14, 15, 16: .unreachable
        case 3, -188: .unknownTopic  // UNKNOWN_TOPIC_OR_PART, _UNKNOWN_TOPIC
        case 36: .topicExists
        case -150: .fatal
        default: .failed
        }
        self.init(code, kafkaCode: kafkaCode, operation: operation, message: message)
    }

    /// `kafka <operation> failed (<code>, <kafkaCode>): <message>`.
    public var description: String {
        "kafka \(operation) failed (\(code), \(kafkaCode)): \(message)"
    }
}
