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
            let marks = try await consumer.watermarks(topic: options.topic, partitions: partitions)
            for partition in partitions { ends[partition] = (marks.low[partition] ?? 0, marks.high[partition] ?? 0) }
        }
        try await consumer.subscribe()
        return StreamState(consumer: consumer, options: options, partitions: partitions, ends: ends,
                           outage: BrokerOutage(brokers: options.brokers, limit: options.brokerTimeout, stop: stop))
    }

    /// Up to `maximum` messages and about `maximumBytes` of keys and values: polls until the
    /// round is full, a poll brings nothing, a second has passed, or a stop is asked. Messages of partitions revoked meanwhile are dropped: their
    /// new owner reads them again from the committed offset.
    ///
    /// Fetching runs only while a round is polled: it starts again here for the assigned
    /// partitions not `finished`, and stops for all of them when the round is taken, so nothing
    /// is fetched while the round loads (back-pressure: librdkafka's fetch queue does not grow
    /// meanwhile), and a broker that answers a fetch at a partition's end at once, instead of
    /// holding it for `fetch.wait.max.ms` as Kafka does (noida-db), is not asked thousands of
    /// times a second. What was fetched and not polled is fetched again next round.
    ///
    /// After a round that found nothing (`idle`), fetching waits ``idlePause`` with every
    /// partition paused, then the poll waits only ``idleWindow`` for a first message: a broker
    /// that answers an empty fetch at once (noida-db) is then asked a fifth of the time while
    /// the stream is quiet (without it an idle consumer and noida-db kept most of a core busy
    /// between them), and a message that comes meanwhile waits at most that much longer. Kafka
    /// holds an empty fetch for `fetch.wait.max.ms`, so there this costs only the latency.
    func pollRound(maximum: Int, maximumBytes: Int = .max, stop: ConsumeStopSignal, finished: Set<Int32> = [],
                   idle: Bool = false) async throws -> [KafkaMessage] {
        if idle {
            let resume = ContinuousClock.now + Self.idlePause
            while !stop.isStopped, ContinuousClock.now < resume { try await Task.sleep(for: .milliseconds(50)) }
        }
        let revocations = try await consumer.revocations()
        try await consumer.pause(topic: options.topic, partitions: try await consumer.assignment(options.topic).filter { !finished.contains($0) }, false)
        let deadline = ContinuousClock.now + .seconds(1)
        var messages: [KafkaMessage] = []
        var bytes = 0
        while messages.count < maximum, bytes < maximumBytes, !stop.isStopped, ContinuousClock.now < deadline {
            let first = idle ? min(options.pollTimeout, Self.idleWindow) : options.pollTimeout
            let polled = try await consumer.poll(timeout: messages.isEmpty ? first : .milliseconds(50),
                                                 maximum: maximum - messages.count, maximumBytes: maximumBytes - bytes)
            if polled.isEmpty { break }
            messages += polled
            bytes += polled.reduce(0) { $0 + ($1.key?.count ?? 0) + ($1.value?.count ?? 0) }
        }
        // Partitions assigned during the polls included.
        let assigned = try await consumer.assignment(options.topic)
        try await consumer.pause(topic: options.topic, partitions: assigned, true)
        guard try await consumer.revocations() != revocations else { return messages }
        let kept = Set(assigned)
        return messages.filter { kept.contains($0.partition) }
    }

    /// How long fetching pauses after a round that found nothing.
    static let idlePause: Duration = .milliseconds(400)
    /// How long the poll after such a pause waits for a first message.
    static let idleWindow: Duration = .milliseconds(100)

    /// Commits the next offsets of a loaded round.
    /// - Throws: ``KafkaError`` when the group refuses the commit; ``IngestError`` `unreachable`
    ///   when the brokers stay silent past `--broker-timeout`.
    func commit(_ offsets: [KafkaPartitionOffset]) async throws {
        try await outage.reaching("commit") {
            try await consumer.commit(topic: options.topic, offsets: offsets, timeout: outage.requestTimeout)
        }
    }

    /// The partitions whose group's committed offsets reached the end offsets of the start (an
    /// empty partition is there already); the run is at its end when that is all of them.
    func finishedPartitions() async throws -> Set<Int32> {
        let open = ends.filter { $0.value.high > $0.value.low }
        var finished = Set(ends.keys).subtracting(open.keys)
        guard !open.isEmpty else { return finished }
        let committed = try await outage.reaching("committed offsets") {
            try await consumer.committed(topic: options.topic, partitions: open.keys.sorted(), timeout: outage.requestTimeout)
        }
        for (partition, end) in open where (committed[partition] ?? end.low) >= end.high { finished.insert(partition) }
        return finished
    }

    /// Reports each assigned partition's lag, its end offset now minus the group's committed
    /// offset, as the gauge `graphingest_consumer_lag{topic, partition}`.
    func reportLag() async throws {
        let assigned = try await consumer.assignment(options.topic)
        guard !assigned.isEmpty else { return }
        let timeout = outage.requestTimeout
        let lags = try await outage.reaching("consumer lag") {
            let committed = try await consumer.committed(topic: options.topic, partitions: assigned, timeout: timeout)
            let ends = try await consumer.endOffsets(topic: options.topic, partitions: assigned, timeout: timeout)
            // A partition the group has committed nothing of lags from its first offset.
            let firsts = try await consumer.watermarks(topic: options.topic, partitions: assigned.filter { committed[$0] == nil }, timeout: timeout).low
            var lags: [Int32: Int64] = [:]
            for partition in assigned {
                lags[partition] = max(0, (ends[partition] ?? 0) - (committed[partition] ?? firsts[partition] ?? 0))
            }
            return lags
        }
        for (partition, lag) in lags.sorted(by: { $0.key < $1.key }) {
            Gauge(label: "graphingest_consumer_lag", dimensions: [("topic", options.topic), ("partition", String(partition))]).record(lag)
        }
    }
}

/// What a `--until-end` run knows of where its partitions stand, to fetch only what is left: the
/// partitions whose committed offsets reached the end offsets of the start (finished), and those
/// this consumer has polled to that end since its last revocation (a round holding their last
/// messages may still be loading). Without `--until-end` everything assigned is fetched.
struct StreamPolling {
    let untilEnd: Bool
    private var finished: Set<Int32> = []
    private var polledTo: [Int32: Int64] = [:]
    private var revocations: UInt64?

    init(untilEnd: Bool) {
        self.untilEnd = untilEnd
    }

    /// The partitions not to fetch from.
    func notToFetch(_ stream: StreamState) -> Set<Int32> {
        guard untilEnd else { return [] }
        return finished.union(polledTo.filter { partition, next in next >= (stream.ends[partition]?.high ?? .max) }.keys)
    }

    /// Whether an assigned partition has messages left to poll (always, without `--until-end`).
    /// Partitions are assigned and revoked in polls only, so a consumer with nothing left to poll
    /// skips a poll only while a round is loading.
    func hasMoreToPoll(_ stream: StreamState) async throws -> Bool {
        guard untilEnd else { return true }
        let skipped = notToFetch(stream)
        return try await stream.consumer.assignment(stream.options.topic).contains { !skipped.contains($0) }
    }

    /// Records how far a round polled; a revocation since the last round forgets it (the
    /// partitions' messages were dropped, and may come back from the committed offsets).
    mutating func polled(_ messages: [KafkaMessage], stream: StreamState) async throws {
        let now = try await stream.consumer.revocations()
        if revocations != nil, revocations != now { polledTo = [:] }
        revocations = now
        for message in messages { polledTo[message.partition] = max(polledTo[message.partition] ?? 0, message.offset + 1) }
    }

    /// Whether the group's committed offsets reached the end offsets of the start everywhere.
    mutating func reachedEnd(_ stream: StreamState) async throws -> Bool {
        finished = try await stream.finishedPartitions()
        return finished.isSuperset(of: stream.ends.keys)
    }
}
