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
        messageCount = messages.count
        var index: [String: Int] = [:]
        for message in messages {
            let position = StreamPosition(topic: message.topic, partition: message.partition, offset: message.offset)
            nextOffsets[message.partition] = max(nextOffsets[message.partition] ?? 0, message.offset + 1)
            let key = message.key.map { String(decoding: $0, as: UTF8.self) }
            let action: Action
            let source: String
            if let value = message.value {
                switch decoder.document(record: value, key: key, sourcePrefix: sourcePrefix) {
                case .success(let document):
                    action = .load(document)
                    source = document.source
                case .failure(let rejection):
                    dead.append(Dead(source: rejection.source, reason: rejection.reason, position: position, key: message.key, value: value))
                    continue
                }
            } else if let key {
                action = .delete
                source = sourcePrefix + key
            } else {
                dead.append(Dead(source: sourcePrefix, reason: "a tombstone without a key", position: position, key: nil, value: nil))
                continue
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
