import Foundation
import IntegrationSupport
import Kafka
import Testing

/// The client against the real broker (noida-db from `scripts/services`): topics with several
/// partitions, keyed messages and tombstones, a group's commits, watermarks, and the errors a
/// caller must tell apart.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct KafkaClientIntegrationTests {
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
    }

    @Test func producesAndConsumesAcrossPartitionsAndCommits() async throws {
        let brokers = try IntegrationEnvironment.kafkaBrokers()
        let topic = Self.uniqueName("client")
        let group = Self.uniqueName("group")
        let producer = try KafkaProducer(brokers: brokers)
        try await producer.createTopic(topic, partitions: 4)
        #expect(try await producer.partitionCount(topic) == 4)
        for index in 0..<40 {
            try await producer.send(topic: topic, key: Array("k\(index)".utf8), value: Array("{\"id\":\"\(index)\"}".utf8))
        }
        try await producer.send(topic: topic, partition: 2, key: Array("gone".utf8), value: nil, headers: [("error", "test")])
        try await producer.flush()
        await producer.close()

        let consumer = try KafkaConsumer(brokers: brokers, group: group, topic: topic)
        try await consumer.subscribe()
        var messages: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while messages.count < 41, ContinuousClock.now < deadline {
            messages += try await consumer.poll(timeout: .milliseconds(500), maximum: 100)
        }
        #expect(messages.count == 41)
        #expect(Set(messages.map(\.partition)).count == 4)
        #expect(Set(messages.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }).count == 40)
        #expect(messages.contains { $0.value == nil && $0.key == Array("gone".utf8) && $0.partition == 2 })
        #expect(try await consumer.assignment(topic) == [0, 1, 2, 3])
        let next = Dictionary(grouping: messages, by: \.partition).map { KafkaPartitionOffset(partition: $0.key, offset: $0.value.map(\.offset).max()! + 1) }
        try await consumer.commit(topic: topic, offsets: next)
        let committed = try await consumer.committed(topic: topic, partitions: [0, 1, 2, 3])
        for position in next { #expect(committed[position.partition] == position.offset) }
        var ends: Int64 = 0
        for partition in Int32(0)..<4 { ends += try await consumer.watermarks(topic: topic, partition: partition).high }
        #expect(ends == 41)
        await consumer.close()
    }

    /// Paused partitions deliver nothing; a resumed one delivers what follows the position
    /// polled to (the messages fetched before the pause included), also when, as in `consume`'s
    /// rounds, each resume of some partitions lasts one short poll and is followed by a pause of
    /// all of them while the caller works. (With librdkafka 2.0, such resumes once left
    /// `consume` without a fetch for 300 s; ``KafkaConsumer/pause(topic:partitions:_:)`` wakes
    /// the leader's thread. That stall did not show in this shorter pattern.)
    @Test func pausedPartitionsDeliverNothingAndShortResumesDeliverTheRest() async throws {
        let brokers = try IntegrationEnvironment.kafkaBrokers()
        let topic = Self.uniqueName("pause")
        let producer = try KafkaProducer(brokers: brokers)
        try await producer.createTopic(topic, partitions: 2)
        for index in 0..<30 {
            try await producer.send(topic: topic, partition: 1, key: Array("k\(index)".utf8), value: Array("{\"id\":\"\(index)\"}".utf8))
        }
        try await producer.flush()
        await producer.close()

        let consumer = try KafkaConsumer(brokers: brokers, group: Self.uniqueName("group"), topic: topic)
        try await consumer.subscribe()
        var messages: [KafkaMessage] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while messages.count < 10, ContinuousClock.now < deadline {
            messages += try await consumer.poll(timeout: .milliseconds(500), maximum: 10 - messages.count)
        }
        #expect(messages.count == 10)
        try await consumer.pause(topic: topic, partitions: [0, 1], true)
        #expect(try await consumer.poll(timeout: .seconds(1), maximum: 100).isEmpty)
        // The stall this guards against lasts minutes; the deadline only ends a hang.
        while messages.count < 30, ContinuousClock.now < deadline {
            try await consumer.pause(topic: topic, partitions: [1], false)
            messages += try await consumer.poll(timeout: .milliseconds(300), maximum: 5)
            try await consumer.pause(topic: topic, partitions: [0, 1], true)
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(messages.map(\.offset) == Array(0..<30))
        await consumer.close()
    }

    @Test func unknownTopicAndUnreachableBrokerAreToldApart() async throws {
        let brokers = try IntegrationEnvironment.kafkaBrokers()
        let producer = try KafkaProducer(brokers: brokers)
        await #expect(throws: KafkaError.self) { try await producer.createTopic("x", partitions: 0) }
        await producer.close()
        // A consumer asks without creating (a producer's metadata request may create the topic).
        let consumer = try KafkaConsumer(brokers: brokers, group: "g", topic: "t")
        do {
            _ = try await consumer.partitionCount(Self.uniqueName("missing"))
            Issue.record("an unknown topic was found")
        } catch let error as KafkaError {
            #expect(error.code == .unknownTopic)
        }
        await consumer.close()
        let nowhere = try KafkaProducer(brokers: "127.0.0.1:1")
        do {
            _ = try await nowhere.partitionCount("anything", timeout: .seconds(2))
            Issue.record("an unreachable broker answered")
        } catch let error as KafkaError {
            #expect(error.code == .unreachable)
        }
        await nowhere.close()
    }

    @Test func refusedPropertyIsAConfigurationError() throws {
        #expect(throws: KafkaError.self) { try KafkaConsumer(brokers: "127.0.0.1:1", group: "g", topic: "t", properties: [KafkaProperty("no.such.property", "1")]) }
        #expect(KafkaProperty("sasl.password", "x").isSecret)
        #expect(!KafkaProperty("session.timeout.ms", "6000").isSecret)
    }
}
