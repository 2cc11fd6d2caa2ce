import Foundation
import IntegrationSupport
import Kafka
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `graphingest consume` against the real Kafka-protocol broker (noida-db, from
/// `scripts/services`), ArcadeDB and PostgreSQL: a topic of several partitions consumed to its
/// end equals `ingest` of the same records as one JSONL file; versions, tombstones and bad
/// messages; a rerun is a no-op (and reports each partition's lag to Prometheus); kill -9 while
/// consuming, and a group member killed mid-way.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized, .timeLimit(.minutes(5)))
struct ConsumeEndToEndIntegrationTests {
    typealias EndToEnd = IngestEndToEndIntegrationTests
    typealias GraphDump = ReindexEndToEndIntegrationTests.GraphDump

    /// A record's key and its JSON value (nil: a tombstone).
    struct Message {
        var key: String?
        var value: [UInt8]?
        init(_ key: String?, _ value: String?) {
            self.key = key
            self.value = value.map { Array($0.utf8) }
        }
        init(key: String?, bytes: [UInt8]?) {
            self.key = key
            self.value = bytes
        }
    }

    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    /// A JSON record mentioning gazetteer entities in varying combinations; `version` changes the text.
    static func record(_ index: Int, version: Int = 1) -> String {
        let names = ["Paris", "Berlin", "London", "Tokyo", "東京", "Beijing", "Bangkok", "New York City", "İstanbul", "Moscow",
                     "Vienna", "München", "Rome", "Cairo", "France", "Germany", "Japan", "UNESCO", "CERN", "Albert Einstein",
                     "Marie Curie", "Seine", "Thames", "Danube", "Chao Phraya", "World Health Organization"]
        var text = "Document \(index), version \(version).\n"
        for sentence in 0..<(6 + index % 5) {
            let a = names[(index * 7 + sentence + version) % names.count], b = names[(index + sentence * 3 * version) % names.count]
            text += "In report \(sentence) the delegation travelled from \(a) to \(b), writing to desk\(index % 13)@example.org.\n"
        }
        let object: [String: Any] = ["id": "doc\(index)", "text": text]
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// The brokers of `scripts/services`, or the ones given.
    static func brokers(_ given: String?) throws -> String {
        try given ?? IntegrationEnvironment.kafkaBrokers()
    }

    static func createTopic(partitions: Int, brokers given: String? = nil) async throws -> String {
        let topic = unique("docs")
        let producer = try KafkaProducer(brokers: try brokers(given))
        try await producer.createTopic(topic, partitions: partitions)
        await producer.close()
        return topic
    }

    static func produce(_ messages: [Message], to topic: String, brokers given: String? = nil) async throws {
        let producer = try KafkaProducer(brokers: try brokers(given))
        for message in messages {
            try await producer.send(topic: topic, key: message.key.map { Array($0.utf8) }, value: message.value)
        }
        try await producer.flush()
        await producer.close()
    }

    /// `consume` over `topic`; with `untilEnd` false it runs until it is stopped.
    static func consumeArguments(_ topic: String, group: String, brokers given: String? = nil, untilEnd: Bool = true,
                                 extra: [String] = []) throws -> [String] {
        ["consume", "--brokers", try brokers(given), "--topic", topic, "--group", group] + (untilEnd ? ["--until-end"] : [])
            + ["--gazetteer", EndToEnd.gazetteer, "--rules", EndToEnd.rules, "--json", "--quiet"] + extra
    }

    static func consume(_ topic: String, group: String, _ servers: ScratchServers, brokers given: String? = nil, extra: [String] = []) throws -> Shell.Output {
        try EndToEnd.graphingest(try consumeArguments(topic, group: group, brokers: given, extra: extra), servers)
    }

    /// `ingest` of `records` (the final state, one line each) as one JSONL file, in fresh
    /// databases, with the sources renamed to the stream's (`kafka://TOPIC/ID`).
    static func freshIngest(_ records: [String], topic: String, label: String) throws -> GraphDump {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-consume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try (records.joined(separator: "\n") + "\n").write(to: folder.appendingPathComponent("corpus.jsonl"), atomically: true, encoding: .utf8)
        let dump = try ReindexEndToEndIntegrationTests.freshIngest(folder.path, label: label)
        return dump.renamingSources(from: "corpus.jsonl#", to: "kafka://\(topic)/")
    }

    /// The group's committed offsets, per partition.
    static func committed(_ topic: String, group: String, partitions: Int, brokers given: String? = nil) async throws -> [Int32: Int64] {
        let consumer = try KafkaConsumer(brokers: try brokers(given), group: group, topic: topic)
        let offsets = try await consumer.committed(topic: topic, partitions: (0..<Int32(partitions)).map { $0 })
        await consumer.close()
        return offsets
    }

    static func endOffsets(_ topic: String, partitions: Int, brokers given: String? = nil) async throws -> [Int32: Int64] {
        let consumer = try KafkaConsumer(brokers: try brokers(given), group: unique("probe"), topic: topic)
        var ends: [Int32: Int64] = [:]
        for partition in 0..<Int32(partitions) { ends[partition] = try await consumer.watermarks(topic: topic, partition: partition).high }
        await consumer.close()
        return ends
    }

    @Test func consumeToTheEndEqualsIngestOfTheSameRecordsAndARerunIsANoOp() async throws {
        let topic = try await Self.createTopic(partitions: 4)
        let records = (0..<120).map { Self.record($0) }
        try await Self.produce(records.enumerated().map { Message("doc\($0.offset)", $0.element) }, to: topic)
        let servers = try ScratchServers.make("consume")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)
        let group = Self.unique("group")
        let output = try await offThePool { try Self.consume(topic, group: group, servers) }
        #expect(output.status == 0, "\(output.stderr)")
        let summary = try EndToEnd.summary(output)
        #expect(summary["consumed"] as? Int == 120 && summary["loaded"] as? Int == 120, "\(summary)")
        ReindexEndToEndIntegrationTests.expectSame(try GraphDump(servers), try Self.freshIngest(records, topic: topic, label: "consumefresh"))
        #expect(try await Self.committed(topic, group: group, partitions: 4) == (try await Self.endOffsets(topic, partitions: 4)))
        let lineage = try servers.sql("SELECT count(*), count(DISTINCT stream_partition) FROM graphingest.documents WHERE stream_topic = '\(topic)'")
        #expect(lineage.first == ["120", "4"])
        let status = try EndToEnd.graphingest(["status", "--brokers", try IntegrationEnvironment.kafkaBrokers(), "--group", group], servers)
        #expect(status.status == 0 && status.stdout.contains("stream \(topic) partition 0:") && status.stdout.contains("group committed"),
                "\(status.stdout)\(status.stderr)")

        // Again, without --until-end (it runs until SIGTERM): meanwhile its metrics endpoint
        // reports the lag of each partition, 0 since the group's offsets are at the end.
        let port = try ConcurrentWorkersIntegrationTests.freePort()
        let running = ProcessHandle(try Shell.start(IntegrationEnvironment.graphingest,
                                                    try Self.consumeArguments(topic, group: group, untilEnd: false, extra: ["--metrics-port", "\(port)"]),
                                                    environment: servers.environment))
        var lags: [Int32: Double] = [:]
        try await ConcurrentWorkersIntegrationTests.waitUntil("the endpoint reports the lag of the 4 partitions") {
            lags = Self.consumerLags(topic, scraped: (try? String(contentsOf: URL(string: "http://127.0.0.1:\(port)/metrics")!, encoding: .utf8)) ?? "")
            return lags.count == 4
        }
        #expect(lags == [0: 0, 1: 0, 2: 0, 3: 0], "\(lags)")
        kill(running.processIdentifier, SIGTERM)
        let again = try await running.finish()
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try EndToEnd.summary(again)["consumed"] as? Int == 0)
        // Another group, in rounds of at most 16 KiB of messages (and the one that passes it):
        // each round is loaded while the next is polled, and finds its documents unchanged.
        let otherGroup = try await offThePool {
            try Self.consume(topic, group: Self.unique("other"), servers, extra: ["--round-bytes", "16KB"])
        }
        let otherSummary = try EndToEnd.summary(otherGroup)
        #expect(otherSummary["loaded"] as? Int == 0 && otherSummary["unchanged"] as? Int == 120, "\(otherSummary)")
        let recordBytes = records.enumerated().map { "doc\($0.offset)".utf8.count + $0.element.utf8.count }
        let fewestRounds = (recordBytes.reduce(0, +) + 16_384 + recordBytes.max()! - 1) / (16_384 + recordBytes.max()!)
        #expect((otherSummary["rounds"] as? Int ?? 0) >= max(2, fewestRounds), "\(otherSummary)")
        let runs = try servers.sql("SELECT count(*) FROM graphingest.runs WHERE command = 'consume' AND finished_at IS NOT NULL")
        #expect(runs.first == ["3"])
    }

    /// `graphingest_consumer_lag{topic="T",partition="P"} LAG` lines of a Prometheus scrape, per partition.
    static func consumerLags(_ topic: String, scraped: String) -> [Int32: Double] {
        var lags: [Int32: Double] = [:]
        for line in scraped.split(separator: "\n") where line.hasPrefix("graphingest_consumer_lag{") && line.contains("topic=\"\(topic)\"") {
            guard let labels = line.split(separator: "}").first, let value = line.split(separator: " ").last.flatMap({ Double($0) }),
                  let partition = labels.split(separator: ",").first(where: { $0.contains("partition=") })?
                      .split(separator: "\"").dropFirst().first.flatMap({ Int32($0) }) else { continue }
            lags[partition] = value
        }
        return lags
    }

    @Test func versionsTombstonesAndBadMessages() async throws {
        let topic = try await Self.createTopic(partitions: 3)
        let dlq = Self.unique("dead")
        let servers = try ScratchServers.make("versions")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)
        let group = Self.unique("group")
        try await Self.produce((0..<30).map { Message("doc\($0)", Self.record($0)) }, to: topic)
        let first = try await offThePool { try Self.consume(topic, group: group, servers) }
        #expect(first.status == 0, "\(first.stderr)")

        // Newer versions (twice for some keys), tombstones, and messages that cannot be used.
        var messages = (0..<10).map { Message("doc\($0)", Self.record($0, version: 2)) }
        messages += (0..<5).map { Message("doc\($0)", Self.record($0, version: 3)) }
        messages += (20..<25).map { Message("doc\($0)", nil) }
        messages += [Message("doc7", nil), Message("doc7", Self.record(7, version: 4))]
        messages += [Message("bad1", "not json"), Message(key: "bad2", bytes: [0x7B, 0xFF, 0x7D]), Message(nil, #"{"text":"no id, no key"}"#)]
        messages += [Message("doc25", Self.record(25))]
        try await Self.produce(messages, to: topic)
        let second = try await offThePool { try Self.consume(topic, group: group, servers, extra: ["--dead-letter-topic", dlq]) }
        #expect(second.status == 1, "dead letters make exit 1: \(second.stderr)")
        let summary = try EndToEnd.summary(second)
        #expect(summary["dead_letters"] as? Int == 3 && summary["deleted"] as? Int == 5, "\(summary)")

        var final: [String] = []
        for index in 0..<30 where !(20..<25).contains(index) {
            final.append(Self.record(index, version: index == 7 ? 4 : index < 5 ? 3 : index < 10 ? 2 : 1))
        }
        let expected = try Self.freshIngest(final, topic: topic, label: "versionsfresh")
        ReindexEndToEndIntegrationTests.expectSame(try GraphDump(servers), expected)
        let dead = try servers.sql("""
            SELECT stage, stream_topic, stream_partition IS NOT NULL, stream_offset IS NOT NULL FROM graphingest.dead_letters ORDER BY id
            """)
        #expect(dead.count == 3 && dead.allSatisfy { $0 == ["read", topic, "t", "t"] }, "\(dead)")
        #expect(try await Self.committed(topic, group: group, partitions: 3) == (try await Self.endOffsets(topic, partitions: 3)))
        let letters = try await Self.endOffsets(dlq, partitions: 1)
        #expect(letters[0] == 3, "the dead-letter topic holds the bad messages")
        // Another group reads it all again: nothing to load, nothing to delete.
        let again = try await offThePool { try Self.consume(topic, group: Self.unique("again"), servers) }
        let rerun = try EndToEnd.summary(again)
        #expect(rerun["loaded"] as? Int == 0 && rerun["deleted"] as? Int == 0 && rerun["unchanged"] as? Int == 25, "\(rerun)")

        // The whole topic into empty databases in rounds of a few messages: a version or a
        // tombstone is often in the round after its key's older message, which is still loading
        // when that round is polled (the round waits for it). The same graph and registry.
        let small = try ScratchServers.make("versionsrounds")
        defer { small.drop() }
        try EndToEnd.initialize(small)
        let rounds = try await offThePool { try Self.consume(topic, group: Self.unique("small"), small, extra: ["--round-bytes", "2KB"]) }
        #expect(rounds.status == 1, "dead letters make exit 1: \(rounds.stderr)")
        #expect((try EndToEnd.summary(rounds)["rounds"] as? Int ?? 0) >= 10, "\(rounds.stdout)")
        ReindexEndToEndIntegrationTests.expectSame(try GraphDump(small), expected)
    }

    @Test func unreachableBrokerIsExit3AndAnUnknownTopicExit2() throws {
        let servers = try ScratchServers.make("kafkaerr")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)
        var arguments = try Self.consumeArguments("nothing", group: "g")
        arguments[2] = "127.0.0.1:1"
        let unreachable = try EndToEnd.graphingest(arguments + ["--kafka-property", "sasl.password=hunter22"], servers)
        #expect(unreachable.status == 3, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("127.0.0.1:1"), "\(unreachable.stderr)")
        let unknown = try Self.consume(Self.unique("missing"), group: "g", servers)
        #expect(unknown.status == 2, "\(unknown.stderr)")
        #expect(unknown.stderr.contains("does not exist"), "\(unknown.stderr)")
        let recorded = try servers.sql("SELECT arguments::text FROM graphingest.runs")
        #expect(recorded.allSatisfy { !$0.joined().contains("hunter22") })
    }
}

extension ReindexEndToEndIntegrationTests.GraphDump {
    /// The same dump with every source starting `from` renamed to start `to`.
    func renamingSources(from: String, to: String) -> Self {
        func rename(_ text: String) -> String { text.replacingOccurrences(of: from, with: to) }
        func keys<V>(_ dictionary: [String: V]) -> [String: V] {
            Dictionary(uniqueKeysWithValues: dictionary.map { (rename($0.key), $0.value) })
        }
        var dump = self
        dump.documents = keys(documents).mapValues(rename)
        dump.mentions = keys(mentions)
        dump.chunks = keys(chunks)
        dump.nextChunks = nextChunks.map(rename).sorted()
        dump.fromChunks = keys(fromChunks)
        dump.registryDocuments = keys(registryDocuments)
        dump.registryMentions = keys(registryMentions)
        dump.registryChunks = keys(registryChunks)
        dump.registryPairs = keys(registryPairs)
        return dump
    }
}
