import Extraction
import Kafka
import Registry

/// One round of messages, sorted out: the latest message of each source (a document to load or
/// a tombstone), the messages that cannot be used (dead letters), and the next offset of each
/// partition, to commit once the round is loaded. Pure: no server.
struct ConsumeRound: Sendable {
    /// What the latest message of a source asks for.
    enum Action: Sendable {
        case load(SourceDocument)
        case delete
    }

    /// The latest message of one source.
    struct Latest: Sendable {
        var source: String
        var action: Action
        var position: StreamPosition
    }

    /// A message that cannot be used.
    struct Dead: Sendable {
        var source: String
        var reason: String
        var position: StreamPosition
        var key: [UInt8]?
        var value: [UInt8]?
    }

    /// Sources in the order their latest message came.
    private(set) var latest: [Latest] = []
    private(set) var dead: [Dead] = []
    /// Messages a later message of the same source replaced within the round.
    private(set) var superseded = 0
    /// Per partition, the offset after the round's last message.
    private(set) var nextOffsets: [Int32: Int64] = [:]
    let messageCount: Int

    /// Sorts `messages` (in the order they were polled, which is offset order per partition).
    init(_ messages: [KafkaMessage], decoder: StreamRecordDecoder, sourcePrefix: String) {
        self.init(messages, decoded: messages.map { Self.decode($0, decoder: decoder, sourcePrefix: sourcePrefix) }, sourcePrefix: sourcePrefix)
    }

    /// Sorts `messages` as ``init(_:decoder:sourcePrefix:)`` does, their values decoded on
    /// `tasks` tasks at once (JSON parsing and hashing is most of a round's sorting, and the
    /// pipeline waits for it).
    static func decoding(_ messages: [KafkaMessage], decoder: StreamRecordDecoder, sourcePrefix: String, tasks: Int) async -> ConsumeRound {
        let slice = max(256, (messages.count + max(1, tasks) - 1) / max(1, tasks))
        let decoded = await withTaskGroup(of: (Int, [Decoded]).self) { group in
            for start in stride(from: 0, to: messages.count, by: slice) {
                let part = messages[start..<min(messages.count, start + slice)]
                group.addTask { (start, part.map { decode($0, decoder: decoder, sourcePrefix: sourcePrefix) }) }
            }
            var parts: [(Int, [Decoded])] = []
            for await part in group { parts.append(part) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
        return ConsumeRound(messages, decoded: decoded, sourcePrefix: sourcePrefix)
    }

    /// What one message's value says.
    enum Decoded: Sendable {
        case document(SourceDocument)
        case rejected(source: String, reason: String)
        case tombstone
    }

    static func decode(_ message: KafkaMessage, decoder: StreamRecordDecoder, sourcePrefix: String) -> Decoded {
        guard let value = message.value else { return .tombstone }
        switch decoder.document(record: value, key: message.key.map { String(decoding: $0, as: UTF8.self) }, sourcePrefix: sourcePrefix) {
        case .success(let document): return .document(document)
        case .failure(let rejection): return .rejected(source: rejection.source, reason: rejection.reason)
        }
    }

    /// Sorts `messages`, whose values are `decoded`, in order.
    private init(_ messages: [KafkaMessage], decoded: [Decoded], sourcePrefix: String) {
        messageCount = messages.count
        var index: [String: Int] = [:]
        for (message, value) in zip(messages, decoded) {
            let position = StreamPosition(topic: message.topic, partition: message.partition, offset: message.offset)
            nextOffsets[message.partition] = max(nextOffsets[message.partition] ?? 0, message.offset + 1)
            let key = message.key.map { String(decoding: $0, as: UTF8.self) }
            let action: Action
            let source: String
            switch value {
            case .document(let document):
                action = .load(document)
                source = document.source
            case .rejected(let rejected, let reason):
                dead.append(Dead(source: rejected, reason: reason, position: position, key: message.key, value: message.value))
                continue
            case .tombstone:
                guard let key else {
                    dead.append(Dead(source: sourcePrefix, reason: "a tombstone without a key", position: position, key: nil, value: nil))
                    continue
                }
                action = .delete
                source = sourcePrefix + key
            }
            let entry = Latest(source: source, action: action, position: position)
            if let at = index[source] {
                latest[at] = entry
                superseded += 1
            } else {
                index[source] = latest.count
                latest.append(entry)
            }
        }
    }

    /// The documents to load.
    var documents: [SourceDocument] {
        latest.compactMap { if case .load(let document) = $0.action { document } else { nil } }
    }

    /// The sources to delete.
    var deletions: [String] {
        latest.compactMap { if case .delete = $0.action { $0.source } else { nil } }
    }

    /// The offsets to commit once the round is loaded.
    var commitOffsets: [KafkaPartitionOffset] {
        nextOffsets.map { KafkaPartitionOffset(partition: $0.key, offset: $0.value) }.sorted()
    }
}
