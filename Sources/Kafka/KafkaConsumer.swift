import CRDKafka

/// A member of a consumer group reading one topic, over librdkafka.
///
/// Offsets are committed only by ``commit(topic:offsets:)`` (auto-commit is off), so a caller
/// commits what it has finished with. Partitions are assigned and revoked inside ``poll(timeout:maximum:)``
/// (librdkafka's rebalance callback); ``revocations`` counts the revocations so a caller can drop
/// what it holds of partitions it lost.
public final class KafkaConsumer: Sendable {
    private let handle: KafkaHandle
    /// The brokers, as given (for messages).
    public let brokers: String
    /// The topic the consumer reads.
    public let topic: String

    /// Makes a consumer of group `group`; `properties` come last, so they can override the
    /// defaults (`auto.offset.reset=earliest`, no auto-commit, no topic auto-creation).
    /// - Throws: ``KafkaError/Code/configuration`` when librdkafka refuses a property.
    public init(brokers: String, group: String, topic: String, properties: [KafkaProperty] = []) throws(KafkaError) {
        self.brokers = brokers
        self.topic = topic
        let defaults = [
            KafkaProperty("bootstrap.servers", brokers), KafkaProperty("group.id", group),
            KafkaProperty("enable.auto.commit", "false"), KafkaProperty("enable.auto.offset.store", "false"),
            KafkaProperty("auto.offset.reset", "earliest"), KafkaProperty("allow.auto.create.topics", "false"),
            KafkaProperty("log_level", "2"),
        ]
        handle = try KafkaHandle(consumer: true, properties: defaults + properties, label: "graphingest-kafka-consumer")
    }

    /// Subscribes to the topic; partitions arrive with the next polls.
    public func subscribe() async throws {
        let topic = self.topic
        try await handle.run("subscribe") { pointer throws(KafkaError) in
            try KafkaHandle.check("subscribe") { gi_kafka_subscribe(pointer, topic, $0, $1) }
        }
    }

    /// Up to `maximum` messages, and no more once their keys and values hold `maximumBytes`:
    /// waits up to `timeout` for the first, then takes what is already fetched. A partition's
    /// end is not an error.
    /// - Throws: ``KafkaError`` for a consumer error (a fatal one, or a broker refusing the group).
    public func poll(timeout: Duration, maximum: Int, maximumBytes: Int = .max) async throws -> [KafkaMessage] {
        let milliseconds = KafkaHandle.milliseconds(timeout)
        let topic = self.topic
        return try await handle.run("poll") { pointer throws(KafkaError) in
            var messages: [KafkaMessage] = []
            var bytes = 0
            while messages.count < maximum, bytes < maximumBytes {
                var message = gi_kafka_message()
                var code: Int32 = 0
                var fatal: Int32 = 0
                var error = [CChar](repeating: 0, count: 512)
                let result = gi_kafka_poll(pointer, messages.isEmpty ? milliseconds : 0, &message, &code, &fatal, &error, error.count)
                if result == 0 { break }
                if result < 0 {
                    // Transport hiccups are retried by librdkafka itself; only what stops the
                    // consumer is thrown.
                    if fatal != 0 || code == 3 || code == -188 {
                        throw KafkaError(kafkaCode: fatal != 0 ? -150 : code, operation: "poll", message: KafkaHandle.text(error))
                    }
                    continue
                }
                messages.append(KafkaMessage(message, topic: topic))
                bytes += message.key_length + message.value_length
                gi_kafka_message_free(&message)
            }
            return messages
        }
    }

    /// How many times partitions were revoked from this consumer since it was made.
    public func revocations() async throws -> UInt64 {
        try await handle.run("revocations") { gi_kafka_revocations($0) }
    }

    /// The partitions of `topic` assigned to this consumer now.
    public func assignment(_ topic: String) async throws -> [Int32] {
        try await handle.run("assignment") { pointer throws(KafkaError) in
            var partitions = [Int32](repeating: 0, count: 4096)
            let count = gi_kafka_assignment(pointer, topic, &partitions, partitions.count)
            guard count >= 0 else { throw KafkaError(.failed, operation: "assignment", message: "no assignment") }
            return Array(partitions.prefix(Int(count))).sorted()
        }
    }

    /// Commits the next offsets to read of `topic`'s partitions for the group, and waits up to
    /// `timeout` for the broker's answer.
    /// - Throws: ``KafkaError/Code/unreachable`` when no answer came in time (the commit may still
    ///   be sent once a coordinator answers), another ``KafkaError`` when the group refuses it.
    public func commit(topic: String, offsets: [KafkaPartitionOffset], timeout: Duration = .seconds(10)) async throws {
        guard !offsets.isEmpty else { return }
        let milliseconds = KafkaHandle.milliseconds(timeout)
        try await handle.run("commit") { pointer throws(KafkaError) in
            let partitions = offsets.map(\.partition)
            let values = offsets.map(\.offset)
            try KafkaHandle.check("commit") { gi_kafka_commit(pointer, topic, partitions, values, offsets.count, milliseconds, $0, $1) }
        }
    }

    /// The group's committed offsets of `partitions` (nil where the group has none).
    public func committed(topic: String, partitions: [Int32], timeout: Duration = .seconds(10)) async throws -> [Int32: Int64] {
        let milliseconds = KafkaHandle.milliseconds(timeout)
        return try await handle.run("committed") { pointer throws(KafkaError) in
            var offsets = [Int64](repeating: -1001, count: partitions.count)
            try KafkaHandle.check("committed") { gi_kafka_committed(pointer, topic, partitions, &offsets, partitions.count, milliseconds, $0, $1) }
            var result: [Int32: Int64] = [:]
            for (partition, offset) in zip(partitions, offsets) where offset >= 0 { result[partition] = offset }
            return result
        }
    }

    /// The first and the next offset (the end) of one partition, asked of its leader.
    public func watermarks(topic: String, partition: Int32, timeout: Duration = .seconds(10)) async throws -> (low: Int64, high: Int64) {
        let both = try await watermarks(topic: topic, partitions: [partition], timeout: timeout)
        return (both.low[partition] ?? 0, both.high[partition] ?? 0)
    }

    /// The first and the next offset (the end) of each of `partitions`: two requests to each
    /// leader, whatever the number of partitions.
    public func watermarks(topic: String, partitions: [Int32], timeout: Duration = .seconds(10)) async throws
        -> (low: [Int32: Int64], high: [Int32: Int64]) {
        (try await handle.offsets(topic: topic, partitions: partitions, latest: false, timeout: timeout),
         try await handle.offsets(topic: topic, partitions: partitions, latest: true, timeout: timeout))
    }

    /// The next offset (the end) of each of `partitions`: one request to each leader.
    public func endOffsets(topic: String, partitions: [Int32], timeout: Duration = .seconds(10)) async throws -> [Int32: Int64] {
        try await handle.offsets(topic: topic, partitions: partitions, latest: true, timeout: timeout)
    }

    /// The number of partitions of `topic`.
    /// - Throws: ``KafkaError/Code/unreachable`` when no broker answers within `timeout`,
    ///   ``KafkaError/Code/unknownTopic`` when the brokers do not know the topic.
    public func partitionCount(_ topic: String, timeout: Duration = .seconds(10)) async throws -> Int {
        try await handle.partitionCount(topic, timeout: timeout)
    }

    /// Stops (`true`) or restarts fetching from `partitions`. Messages fetched and not polled
    /// yet are dropped by a pause and fetched again, from the position polled to, after the
    /// resume.
    ///
    /// librdkafka 2.0 (Debian's) resumes a partition on its main thread without waking the
    /// thread of the partition's leader, which sleeps while it has nothing to fetch: fetching
    /// would start only when something else woke that thread, minutes later at worst. A resume
    /// therefore also asks the partitions' leaders for their end offsets (one request each,
    /// within 1 s; the answer, or its absence, is not used), which wakes them.
    public func pause(topic: String, partitions: [Int32], _ pause: Bool) async throws {
        guard !partitions.isEmpty else { return }
        try await handle.run("pause") { pointer throws(KafkaError) in
            let code = gi_kafka_pause(pointer, topic, partitions, partitions.count, pause ? 1 : 0)
            guard code == 0 else { throw KafkaError(kafkaCode: code, operation: "pause", message: "could not pause or resume") }
        }
        guard !pause else { return }
        _ = try? await handle.offsets(topic: topic, partitions: partitions, latest: true, timeout: .seconds(1))
    }

    /// Leaves the group (its partitions go to the others at once) and closes the consumer.
    public func close() async {
        await handle.close()
    }
}

extension KafkaMessage {
    init(_ message: gi_kafka_message, topic: String) {
        self.init(topic: topic, partition: message.partition, offset: message.offset,
                  timestamp: message.timestamp >= 0 ? message.timestamp : nil,
                  key: message.has_key != 0 ? Array(UnsafeBufferPointer(start: message.key, count: message.key_length)) : nil,
                  value: message.has_value != 0 ? Array(UnsafeBufferPointer(start: message.value, count: message.value_length)) : nil)
    }
}

extension KafkaHandle {
    /// The earliest, or the latest (the end), offset of each of `partitions`.
    func offsets(topic: String, partitions: [Int32], latest: Bool, timeout: Duration) async throws -> [Int32: Int64] {
        guard !partitions.isEmpty else { return [:] }
        let milliseconds = KafkaHandle.milliseconds(timeout)
        return try await run("list offsets") { pointer throws(KafkaError) in
            var offsets = [Int64](repeating: 0, count: partitions.count)
            try KafkaHandle.check("list offsets") {
                gi_kafka_list_offsets(pointer, topic, partitions, partitions.count, latest ? -1 : -2, &offsets, milliseconds, $0, $1)
            }
            return Dictionary(zip(partitions, offsets), uniquingKeysWith: { first, _ in first })
        }
    }

    func partitionCount(_ topic: String, timeout: Duration) async throws -> Int {
        let milliseconds = KafkaHandle.milliseconds(timeout)
        return try await run("metadata") { pointer throws(KafkaError) in
            var code: Int32 = 0
            var error = [CChar](repeating: 0, count: 512)
            let count = gi_kafka_partition_count(pointer, topic, milliseconds, &code, &error, error.count)
            guard count >= 0 else { throw KafkaError(kafkaCode: code, operation: "metadata", message: KafkaHandle.text(error)) }
            return Int(count)
        }
    }
}
