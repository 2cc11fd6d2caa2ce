import Foundation
@testable import Extraction
import Testing

@Suite struct InterchangeTests {
    static let document = ExtractedDocument(
        source: "a/b.txt", title: "Say \"hi\"\n\t\u{1}", sha256: String(repeating: "ab", count: 32), bytes: 12, charset: "UTF-8",
        entities: [
            EntityMentions(key: "geo:1", name: "Paris", type: "City", spans: [0..<5, 10..<15]),
            EntityMentions(key: "k\\2", name: "Zoë", type: "T", spans: [6..<9]),
        ]
    )

    @Test func writerOutputIsStable() {
        var writer = InterchangeWriter()
        writer.write(Self.document)
        var second = Self.document
        second.source = "c.txt"
        writer.write(second)
        let text = String(decoding: writer.takeOutput(), as: UTF8.self)
        #expect(text == """
        {"kind":"document","source":"a/b.txt","sha256":"\(Self.document.sha256)","bytes":12,"title":"Say \\"hi\\"\\n\\t\\u0001","charset":"UTF-8"}
        {"kind":"entity","key":"geo:1","name":"Paris","type":"City"}
        {"kind":"entity","key":"k\\\\2","name":"Zoë","type":"T"}
        {"kind":"mention","source":"a/b.txt","key":"geo:1","count":2,"spans":[[0,5],[10,15]]}
        {"kind":"mention","source":"a/b.txt","key":"k\\\\2","count":1,"spans":[[6,9]]}
        {"kind":"document","source":"c.txt","sha256":"\(Self.document.sha256)","bytes":12,"title":"Say \\"hi\\"\\n\\t\\u0001","charset":"UTF-8"}
        {"kind":"mention","source":"c.txt","key":"geo:1","count":2,"spans":[[0,5],[10,15]]}
        {"kind":"mention","source":"c.txt","key":"k\\\\2","count":1,"spans":[[6,9]]}

        """)
    }

    @Test func readerParsesWhatTheWriterWrites() throws {
        var writer = InterchangeWriter()
        writer.write(Self.document)
        var reader = InterchangeReader(bytes: writer.takeOutput())
        let records = try reader.readAll()
        #expect(records == [
            .document(.init(source: "a/b.txt", sha256: Self.document.sha256, bytes: 12, title: Self.document.title, charset: "UTF-8")),
            .entity(.init(key: "geo:1", name: "Paris", type: "City")),
            .entity(.init(key: "k\\2", name: "Zoë", type: "T")),
            .mention(.init(source: "a/b.txt", key: "geo:1", spans: [0..<5, 10..<15])),
            .mention(.init(source: "a/b.txt", key: "k\\2", spans: [6..<9])),
        ])
    }

    static let valid = #"{"kind":"document","source":"d","sha256":"\#(String(repeating: "0", count: 64))","bytes":1,"title":""}"#
        + "\n" + #"{"kind":"entity","key":"e","name":"E","type":"T"}"#

    @Test(arguments: [
        (#"{"kind":"mention","source":"d","key":"e","count":2,"spans":[[1,2]]}"#, "'count' is 2 but there are 1 spans"),
        (#"{"kind":"mention","source":"d","key":"x","count":1,"spans":[[1,2]]}"#, "mention of an entity with no earlier entity line"),
        (#"{"kind":"mention","source":"z","key":"e","count":1,"spans":[[1,2]]}"#, "mention of a document with no earlier document line"),
        (#"{"kind":"mention","source":"d","key":"e","count":1,"spans":[[3,2]]}"#, "a span ends before it starts"),
        (#"{"kind":"mention","source":"d","key":"e","count":1,"spans":[[-1,2]]}"#, "'spans' must be a non-negative integer"),
        (#"{"kind":"thing"}"#, "'kind' must be document, entity, mention, chunk or pair"),
        (#"{"kind":"entity","key":"","name":"E","type":"T"}"#, "'key' must not be empty"),
        (#"{"kind":"document","source":"d","sha256":"xyz","bytes":1,"title":""}"#, "'sha256' must be 64 lower-case hex digits"),
        ("not json", "invalid JSON"),
    ])
    func readerRejectsWithLineNumbers(line: String, message: String) {
        var reader = InterchangeReader(bytes: Array((Self.valid + "\n\n" + line + "\n").utf8), name: "x.jsonl")
        let error = #expect(throws: ExtractionError.self) { try reader.readAll() }
        #expect(error?.description == "x.jsonl:4: \(message)")
    }

    /// A file read in 1 MiB blocks: lines that straddle a block boundary, a last line without a
    /// newline, and line numbers that keep counting across blocks.
    @Test func fileReadAcrossBlocks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("interchange-blocks-\(getpid()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let count = 30_000  // about 2.4 MB
        var text = ""
        for index in 0..<count {
            text += #"{"kind":"entity","key":"geo:\#(index)","name":"Entity \#(index) \#(String(repeating: "x", count: index % 50))","type":"City"}"#
            if index < count - 1 { text += "\n" }
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        var reader = try InterchangeReader(path: path)
        var keys: [String] = []
        while let record = try reader.next() {
            guard case .entity(let entity) = record else { Issue.record("not an entity: \(record)"); break }
            keys.append(entity.key)
        }
        #expect(keys.count == count)
        #expect(keys == (0..<count).map { "geo:\($0)" })
        #expect(reader.line == count)
    }
}
