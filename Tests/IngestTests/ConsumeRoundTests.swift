import Extraction
@testable import Ingest
import Kafka
import Registry
import Testing

/// A round of stream messages sorted out without a server: the latest message of each source
/// wins, tombstones delete, unusable messages are dead letters with their position, and every
/// message's offset advances.
@Suite struct ConsumeRoundTests {
    static func message(_ partition: Int32, _ offset: Int64, key: String?, _ value: String?) -> KafkaMessage {
        KafkaMessage(topic: "docs", partition: partition, offset: offset, key: key.map { Array($0.utf8) }, value: value.map { Array($0.utf8) })
    }

    static func round(_ messages: [KafkaMessage]) -> ConsumeRound {
        ConsumeRound(messages, decoder: StreamRecordDecoder(), sourcePrefix: "kafka://docs/")
    }

    @Test func theLatestMessageOfASourceWinsAndTombstonesDelete() {
        let round = Self.round([
            Self.message(0, 10, key: "a", #"{"id":"a","text":"first"}"#),
            Self.message(1, 3, key: "b", #"{"id":"b","text":"only"}"#),
            Self.message(0, 11, key: "a", #"{"id":"a","text":"second"}"#),
            Self.message(2, 7, key: "c", #"{"id":"c","text":"kept?"}"#),
            Self.message(2, 8, key: "c", nil),
            Self.message(1, 4, key: "d", nil),
            Self.message(2, 9, key: "e", nil),
            Self.message(2, 10, key: "e", #"{"text":"back, by its key"}"#),
        ])
        #expect(round.documents.map(\.source) == ["kafka://docs/a", "kafka://docs/b", "kafka://docs/e"])
        #expect(round.documents.first?.text == "second")
        #expect(round.deletions == ["kafka://docs/c", "kafka://docs/d"])
        #expect(round.superseded == 3)
        #expect(round.dead.isEmpty)
        #expect(round.commitOffsets == [KafkaPartitionOffset(partition: 0, offset: 12), KafkaPartitionOffset(partition: 1, offset: 5),
                                        KafkaPartitionOffset(partition: 2, offset: 11)])
        #expect(round.messageCount == 8)
    }

    /// Decoding on several tasks sorts a round exactly as one pass does: the same latest
    /// message per source, in the same order, the same deletions, dead letters and offsets.
    @Test func decodingOnSeveralTasksSortsARoundAsOnePassDoes() async {
        var messages: [KafkaMessage] = []
        for offset in Int64(0)..<2_000 {
            let key = "k\(offset % 700)"
            let value: String? = switch offset % 11 {
            case 0: nil
            case 1: "not json \(offset)"
            default: #"{"id":"\#(key)","text":"version \#(offset)"}"#
            }
            messages.append(Self.message(Int32(offset % 3), offset / 3, key: offset % 97 == 5 ? nil : key, value))
        }
        let sequential = Self.round(messages)
        let parallel = await ConsumeRound.decoding(messages, decoder: StreamRecordDecoder(), sourcePrefix: "kafka://docs/", tasks: 3)
        #expect(parallel.latest.map(\.source) == sequential.latest.map(\.source))
        #expect(parallel.documents.map(\.text) == sequential.documents.map(\.text))
        #expect(parallel.deletions == sequential.deletions)
        #expect(parallel.dead.map(\.position) == sequential.dead.map(\.position) && !parallel.dead.isEmpty)
        #expect(parallel.commitOffsets == sequential.commitOffsets && parallel.superseded == sequential.superseded)
    }

    @Test func unusableMessagesAreDeadLettersWithTheirPositionAndTheirOffsetsAdvance() {
        let round = Self.round([
            Self.message(0, 1, key: "x", "not json"),
            KafkaMessage(topic: "docs", partition: 0, offset: 2, key: Array("y".utf8), value: [0x7B, 0xFF, 0x7D]),
            Self.message(1, 5, key: nil, #"{"text":"no id, no key"}"#),
            Self.message(1, 6, key: "z", #"{"id":"z","text":42}"#),
            Self.message(3, 0, key: nil, nil),
        ])
        #expect(round.documents.isEmpty && round.deletions.isEmpty)
        #expect(round.dead.map(\.position.offset) == [1, 2, 5, 6, 0])
        #expect(round.dead.map(\.source) == ["kafka://docs/x", "kafka://docs/y", "kafka://docs/", "kafka://docs/z", "kafka://docs/"])
        #expect(round.dead[1].reason.contains("UTF-8"))
        #expect(round.dead[2].reason.contains("no message key"))
        #expect(round.dead[4].reason.contains("tombstone without a key"))
        #expect(round.commitOffsets.map(\.offset) == [3, 7, 1])
    }

    @Test func aRecordHashesAndTitlesAsAJSONLLineDoes() throws {
        let line = #"{"id":"7","title":"T","text":"Body"}"#
        let document = try StreamRecordDecoder().document(record: Array(line.utf8), key: "ignored", sourcePrefix: "kafka://t/").get()
        #expect(document.source == "kafka://t/7" && document.title == "T" && document.bytes == line.utf8.count)
        #expect(document.sha256 == SHA256.hex(Array(line.utf8)))
    }
}
