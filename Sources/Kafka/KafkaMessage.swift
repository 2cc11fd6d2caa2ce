/// One message read from a topic.
public struct KafkaMessage: Sendable, Hashable {
    /// The topic it was read from.
    public var topic: String
    public var partition: Int32
    public var offset: Int64
    /// Milliseconds since the epoch, when the message carries a time.
    public var timestamp: Int64?
    /// The key's bytes; nil when the message has none.
    public var key: [UInt8]?
    /// The value's bytes; nil for a tombstone.
    public var value: [UInt8]?

    /// Makes a message.
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64? = nil, key: [UInt8]?, value: [UInt8]?) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.key = key
        self.value = value
    }
}

/// The position of one partition: the next offset to read (what a group commits).
public struct KafkaPartitionOffset: Sendable, Hashable, Comparable {
    public var partition: Int32
    public var offset: Int64

    /// Makes a position.
    public init(partition: Int32, offset: Int64) {
        self.partition = partition
        self.offset = offset
    }

    public static func < (lhs: KafkaPartitionOffset, rhs: KafkaPartitionOffset) -> Bool {
        (lhs.partition, lhs.offset) < (rhs.partition, rhs.offset)
    }
}
