import CRDKafka

/// Writes messages to topics over librdkafka (the dead-letter topic, the tests' corpora), and
/// creates topics through the admin API.
public final class KafkaProducer: Sendable {
    private let handle: KafkaHandle

    /// Makes a producer; `properties` come after `bootstrap.servers` and may override it.
    public init(brokers: String, properties: [KafkaProperty] = []) throws(KafkaError) {
        handle = try KafkaHandle(consumer: false, properties: [KafkaProperty("bootstrap.servers", brokers), KafkaProperty("log_level", "2")] + properties,
                                 label: "graphingest-kafka-producer")
    }

    /// Queues one message (copied); `partition` nil lets the key choose; a nil `value` is a
    /// tombstone. Delivery is confirmed by ``flush(timeout:)``.
    public func send(topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [(String, String)] = []) async throws {
        let names = headers.map(\.0)
        let values = headers.map(\.1)
        let count = headers.count
        try await handle.run("produce") { pointer throws(KafkaError) in
            try KafkaHandle.withCStrings(names) { headerNames throws(KafkaError) in
                try KafkaHandle.withCStrings(values) { headerValues throws(KafkaError) in
                    try KafkaHandle.check("produce") { error, size in
                        Self.withBytes(key) { keyPointer, keyCount in
                            Self.withBytes(value) { valuePointer, valueCount in
                                gi_kafka_produce(pointer, topic, partition ?? -1, keyPointer, keyCount, valuePointer, valueCount,
                                                 headerNames, headerValues, count, error, size)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Waits until every queued message is delivered.
    /// - Throws: the first failed delivery, or a timeout.
    public func flush(timeout: Duration = .seconds(30)) async throws {
        let milliseconds = KafkaHandle.milliseconds(timeout)
        try await handle.run("flush") { pointer throws(KafkaError) in
            try KafkaHandle.check("flush") { gi_kafka_flush(pointer, milliseconds, $0, $1) }
        }
    }

    /// Creates `topic` with `partitions` partitions (replication 1).
    /// - Throws: ``KafkaError/Code/topicExists`` when it exists.
    public func createTopic(_ topic: String, partitions: Int, timeout: Duration = .seconds(10)) async throws {
        let milliseconds = KafkaHandle.milliseconds(timeout)
        try await handle.run("createTopic") { pointer throws(KafkaError) in
            try KafkaHandle.check("createTopic") { gi_kafka_create_topic(pointer, topic, Int32(partitions), milliseconds, $0, $1) }
        }
    }

    /// The number of partitions of `topic` (see ``KafkaConsumer/partitionCount(_:timeout:)``).
    public func partitionCount(_ topic: String, timeout: Duration = .seconds(10)) async throws -> Int {
        try await handle.partitionCount(topic, timeout: timeout)
    }

    /// Flushes what is queued (up to 10 s) and closes the producer.
    public func close() async {
        try? await flush(timeout: .seconds(10))
        await handle.close()
    }

    private static func withBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafePointer<UInt8>?, Int) -> R) -> R {
        guard let bytes else { return body(nil, 0) }
        // An empty value is not a tombstone: it needs a pointer all the same.
        if bytes.isEmpty { return [UInt8(0)].withUnsafeBufferPointer { body($0.baseAddress, 0) } }
        return bytes.withUnsafeBufferPointer { body($0.baseAddress, $0.count) }
    }
}

/// The librdkafka version the program runs with.
public var kafkaLibraryVersion: String { String(cString: gi_kafka_version()) }
