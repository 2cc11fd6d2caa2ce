@testable import Extraction
import Foundation
import Testing

/// JSONL and CSV files read in blocks: rejections with their lines, identity of records, block
/// boundaries, charsets and batches.
@Suite struct RecordStreamTests {
    static func write(_ bytes: [UInt8], _ name: String, in folder: String) throws -> String {
        let path = folder + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func read(_ path: String, options: CorpusReader.Options = .init()) -> (documents: [SourceDocument], rejections: [SourceRejection]) {
        CorpusReaderTests.readAll([path], options: options)
    }

    @Test func aBadRecordIsRejectedAloneWithItsLine() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bytes = Array(#"{"id":"1","text":"Paris"}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"2","text":"caf"#.utf8) + [0xE9] + Array(#""}"#.utf8) + [0x0A]  // Latin-1 é
        bytes += Array("   \n".utf8)
        bytes += Array(#"{"text":"no id"}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"5","text":7}"#.utf8) + [0x0A]
        bytes += Array("not json\n".utf8)
        bytes += Array(#"{"id":"7","text":"Tokyo"}"#.utf8)  // no final line feed
        let path = try Self.write(bytes, "mixed.jsonl", in: folder)
        let (documents, rejections) = Self.read(path)
        #expect(documents.map(\.source) == [path + "#1", path + "#7"])
        #expect(documents.map(\.text) == ["Paris", "Tokyo"])
        #expect(rejections.map(\.line) == [2, 4, 5, 6])
        #expect(rejections.map(\.reason) == [
            "malformed record: invalid UTF-8", "malformed record: no 'id' field",
            "malformed record: no string 'text' field", "malformed record: not a JSON object",
        ])
    }

    /// A JSONL file streams, so `--max-file-size` bounds each record, not the file: a file far
    /// over the limit reads, and only a record over it is rejected (with its line), the rest of
    /// its line skipped block by block.
    @Test func theSizeLimitBoundsEachJSONLRecordNotTheFile() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var bytes: [UInt8] = []
        for index in 0..<3_000 {
            bytes += Array(#"{"id":"\#(index)","text":"Paris and Lyon, record \#(index)."}"#.utf8) + [0x0A]
        }
        bytes += Array(#"{"id":"huge","text":""#.utf8) + Array(repeating: UInt8(ascii: "x"), count: 3 << 20) + Array(#""}"#.utf8) + [0x0A]
        bytes += Array(#"{"id":"after","text":"Berlin"}"#.utf8) + [0x0A]
        let path = try Self.write(bytes, "big.jsonl", in: folder)
        let (documents, rejections) = Self.read(path, options: CorpusReader.Options(maxFileSize: 64 << 10))
        #expect(documents.count == 3_001)
        #expect(documents.last?.source == path + "#after")
        #expect(rejections.map(\.line) == [3_001])
        #expect(rejections.first?.reason.hasPrefix("record larger than the 65536-byte limit") == true)
    }

    @Test func hashIsTheOldHashOfTheRawLine() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = [#"{"id":"a","text":"Caf\u00e9 in Paris","extra":[1,2]}"#, #"{"text":"東京","id":2}"#]
        let path = try Self.write(Array((lines.joined(separator: "\n") + "\n").utf8), "h.jsonl", in: folder)
        let (documents, _) = Self.read(path)
        // The old reader hashed each line's UTF-8 (the file split on "\n").
        #expect(documents.map(\.sha256) == lines.map { SHA256.hex(Array($0.utf8)) })
        #expect(documents.map(\.bytes) == lines.map(\.utf8.count))
        #expect(documents.map(\.text) == ["Café in Paris", "東京"])
        #expect(documents.map(\.source) == [path + "#a", path + "#2"])
    }

    @Test func crlfLinesAreSplitAndHashedWithoutTheLineBreak() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lines = [#"{"id":"a","text":"one"}"#, #"{"id":"b","text":"two"}"#]
        let path = try Self.write(Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8), "crlf.jsonl", in: folder)
        let (documents, rejections) = Self.read(path)
        #expect(rejections.isEmpty)
        #expect(documents.map(\.text) == ["one", "two"])
        #expect(documents.map(\.sha256) == lines.map { SHA256.hex(Array($0.utf8)) })
    }

    @Test func byteOrderMarks() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let line = #"{"id":"a","text":"Paris"}"#
        let utf8 = try Self.write([0xEF, 0xBB, 0xBF] + Array((line + "\n").utf8), "bom8.jsonl", in: folder)
        let utf16 = try Self.write([0xFF, 0xFE] + (line + "\r\n" + line.replacingOccurrences(of: "\"a\"", with: "\"b\"")).utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, "bom16.jsonl", in: folder)
        let (documents, rejections) = CorpusReaderTests.readAll([utf8, utf16])
        #expect(rejections.isEmpty)
        #expect(documents.map(\.charset) == ["UTF-8", "UTF-16LE", "UTF-16LE"])
        #expect(documents.map(\.text) == ["Paris", "Paris", "Paris"])
        // The byte order mark is no part of the record; UTF-16 records hash as their UTF-8, as before.
        #expect(Set(documents.map(\.sha256)) == [SHA256.hex(Array(line.utf8)), SHA256.hex(Array(line.replacingOccurrences(of: "\"a\"", with: "\"b\"").utf8))])
    }

    @Test func recordsAcrossBlockBoundaries() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Records of ~70 KB (so several straddle each 1 MiB block) and one of 2.5 MB (longer than
        // a block), with escapes and multi-byte characters that a boundary may cut.
        var lines: [String] = []
        for index in 0..<30 {
            let text = String(repeating: "Paris é 東京 \\n \\u00e9 ", count: 2_500 + index)
            lines.append(#"{"id":"\#(index)","text":"\#(text)"}"#)
        }
        lines.insert(#"{"id":"big","text":""# + String(repeating: "New York 😀 ", count: 200_000) + #""}"#, at: 20)
        let bytes = Array(lines.joined(separator: "\n").utf8)
        #expect(bytes.count > 4 << 20)
        let path = try Self.write(bytes, "big.jsonl", in: folder)
        let (documents, rejections) = Self.read(path)
        #expect(rejections.isEmpty)
        #expect(documents.count == 31)
        #expect(documents.map(\.sha256) == lines.map { SHA256.hex(Array($0.utf8)) })
        #expect(documents[20].text == String(repeating: "New York 😀 ", count: 200_000))
        #expect(documents[3].text == String(repeating: "Paris é 東京 \n é ", count: 2_503))
    }

    @Test func csvQuotedLineBreaksAcrossBlockBoundaries() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var csv = "id,text,title\r\n"
        var expected: [String] = []
        var raws: [String] = []
        for index in 0..<40 {
            let text = String(repeating: "line \"q\", é 東京\r\nnext\n", count: 1_500 + index)
            let raw = "r\(index),\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\",T\(index)"
            csv += raw + (index % 2 == 0 ? "\r\n" : "\n")
            expected.append(text)
            raws.append(raw)
        }
        csv += "short\n"
        let bytes = Array(csv.utf8)
        #expect(bytes.count > 1 << 20)
        let path = try Self.write(bytes, "quoted.csv", in: folder)
        let (documents, rejections) = Self.read(path)
        #expect(documents.map(\.text) == expected)
        #expect(documents.map(\.title) == (0..<40).map { "T\($0)" })
        #expect(documents.map(\.sha256) == raws.map { SHA256.hex(Array($0.utf8)) })
        // Record i holds 2 × (1500 + i) line breaks and ends with one; the stray row comes last.
        let line = 2 + (0..<40).reduce(0) { $0 + 2 * (1_500 + $1) + 1 }
        #expect(rejections.map(\.description) == ["\(path):\(line): malformed record: expected 3 fields, found 1"])
    }

    @Test func csvUnterminatedQuoteAndLegacyCharset() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let open = try Self.write(Array("id,text\n1,ok\n2,\"never\nclosed\n".utf8), "open.csv", in: folder)
        let (documents, rejections) = Self.read(open)
        #expect(documents.map(\.text) == ["ok"])
        #expect(rejections.map(\.description) == ["\(open):3: unterminated quoted field"])
        // Not UTF-8: decoded whole as before (ISO-8859-1 é).
        let sentence = "Café au lait à Paris, crème brûlée et élégance française à la mode."
        let latin = Array("id,text\n1,\"".utf8) + Array(try #require(sentence.data(using: .isoLatin1))) + Array("\"\n".utf8)
        let legacy = try Self.write(latin, "latin.csv", in: folder)
        let read = Self.read(legacy)
        #expect(read.rejections.isEmpty)
        #expect(read.documents.first?.charset != "UTF-8")
        #expect(read.documents.first?.text == sentence)
    }

    @Test func batchesComeInFileOrder() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let text = (1...5).map { #"{"id":"\#($0)","text":"t\#($0)"}"# }.joined(separator: "\n") + "\nbad\n"
        let path = try Self.write(Array(text.utf8), "b.jsonl", in: folder)
        let reader = CorpusReader(paths: [path])
        let file = try #require(reader.files().files.first)
        var batches: [[CorpusReader.Item]] = []
        reader.read(file, batchSize: 2) { batches.append($0) }
        #expect(batches.map(\.count) == [2, 2, 2])
        #expect(batches.flatMap { $0 } == reader.read(file))
        // What the body throws stops the reading and comes out.
        struct Stop: Error {}
        var delivered = 0
        #expect(throws: Stop.self) {
            try reader.read(file, batchSize: 2) { _ in
                delivered += 1
                if delivered == 2 { throw Stop() }
            }
        }
        #expect(delivered == 2)
        var plain: [[CorpusReader.Item]] = []
        let textFile = try Self.write(Array("Paris".utf8), "p.txt", in: folder)
        reader.read(CorpusReader(paths: [textFile]).files().files[0], batchSize: 2) { plain.append($0) }
        #expect(plain.map(\.count) == [1])
    }
}
