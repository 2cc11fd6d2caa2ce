import CoreMetrics
import Foundation
import Kafka
import Logging

/// The consumer's side of a `consume` run: the topic's partitions, the end offsets of the start,
/// polling a round, committing its offsets, and telling when the group has reached the end. After
/// the start every broker call goes through ``outage``, which waits for lost brokers.
struct StreamState: Sendable {
    let consumer: KafkaConsumer
    let options: ConsumeOptions
    let partitions: [Int32]
    /// Per partition, the first offset and the end at the start (`--until-end`).
    let ends: [Int32: (low: Int64, high: Int64)]
    let outage: BrokerOutage

    /// Checks that the brokers answer and know the topic (brokers that do not answer now are not
    /// waited for), reads the end offsets when asked, and subscribes.
    static func start(consumer: KafkaConsumer, options: ConsumeOptions, stop: ConsumeStopSignal) async throws -> StreamState {
        let count: Int
        do {
            count = try await consumer.partitionCount(options.topic)
        } catch let error as KafkaError where error.code == .unreachable {
            throw IngestError(.unreachable, "Kafka brokers \(options.brokers) unreachable: \(error.message)")
        } catch let error as KafkaError where error.code == .unknownTopic {
            throw IngestError(.configuration, "topic '\(options.topic)' does not exist on the Kafka brokers \(options.brokers)")
        }
        let partitions = (0..<Int32(count)).map { $0 }
        var ends: [Int32: (low: Int64, high: Int64)] = [:]
        if options.untilEnd {
            for partition in partitions {
                ends[partition] = try await consumer.watermarks(topic: options.topic, partition: partition)
            }
        }
        try await consumer.subscribe()
        return StreamState(consumer: consumer, options: options, partitions: partitions, ends: ends,
                           outage: BrokerOutage(brokers: options.brokers, limit: options.brokerTimeout, stop: stop))
    }

    /// Up to `maximum` messages: polls until the round is full, a poll brings nothing, a second
    /// has passed, or a stop is asked. Messages of partitions revoked meanwhile are dropped: their
    /// new owner reads them again from the committed offset.
    func pollRound(maximum: Int, stop: ConsumeStopSignal) async throws -> [KafkaMessage] {
        let revocations = try await consumer.revocations()
        let deadline = ContinuousClock.now + .seconds(1)
        var messages: [KafkaMessage] = []
        while messages.count < maximum, !stop.isStopped, ContinuousClock.now < deadline {
            let polled = try await consumer.poll(timeout: messages.isEmpty ? options.pollTimeout : .milliseconds(50),
                                                 maximum: maximum - messages.count)
            if polled.isEmpty { break }
            messages += polled
        }
        guard try await consumer.revocations() != revocations else { return messages }
        let assigned = Set(try await consumer.assignment(options.topic))
        return messages.filter { assigned.contains($0.partition) }
    }

    /// Commits the next offsets of a loaded round.
    /// - Throws: ``KafkaError`` when the group refuses the commit; ``IngestError`` `unreachable`
    ///   when the brokers stay silent past `--broker-timeout`.
    func commit(_ offsets: [KafkaPartitionOffset]) async throws {
        try await outage.reaching("commit") {
            try await consumer.commit(topic: options.topic, offsets: offsets, timeout: outage.requestTimeout)
        }
    }

    /// Whether the group's committed offsets reached the end offsets of the start on every
    /// partition (an empty partition is there already).
    func reachedEnd() async throws -> Bool {
        let open = ends.filter { $0.value.high > $0.value.low }
        guard !open.isEmpty else { return true }
        let committed = try await outage.reaching("committed offsets") {
            try await consumer.committed(topic: options.topic, partitions: open.keys.sorted(), timeout: outage.requestTimeout)
        }
        return open.allSatisfy { partition, end in (committed[partition] ?? end.low) >= end.high }
    }

    /// Reports each assigned partition's lag, its end offset now minus the group's committed
    /// offset, as the gauge `graphingest_consumer_lag{topic, partition}`.
    func reportLag() async throws {
        let assigned = try await consumer.assignment(options.topic)
        guard !assigned.isEmpty else { return }
        let timeout = outage.requestTimeout
        let lags = try await outage.reaching("consumer lag") {
            let committed = try await consumer.committed(topic: options.topic, partitions: assigned, timeout: timeout)
            var lags: [Int32: Int64] = [:]
            for partition in assigned {
                let (low, high) = try await consumer.watermarks(topic: options.topic, partition: partition, timeout: timeout)
                lags[partition] = max(0, high - (committed[partition] ?? low))
            }
            return lags
        }
        for (partition, lag) in lags.sorted(by: { $0.key < $1.key }) {
            Gauge(label: "graphingest_consumer_lag", dimensions: [("topic", options.topic), ("partition", String(partition))]).record(lag)
        }
    }
}
