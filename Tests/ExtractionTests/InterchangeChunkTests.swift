import Foundation
@testable import Extraction
import Testing

/// Chunk lines: what `extract` writes after a document's mention lines, and what `load` accepts
/// (an `embedding` and a `sha256` another tool may add) or rejects, with the line's number.
@Suite struct InterchangeChunkTests {
    static let sha = String(repeating: "0", count: 64)
    static let document = #"{"kind":"document","source":"d","sha256":"\#(sha)","bytes":1,"title":""}"#

    static func digest(_ text: String) -> String { SHA256.hex(Array(text.utf8)) }

    @Test func writerPutsChunkLinesAfterTheMentionLinesWithTheirTextEscaped() {
        var document = ExtractedDocument(source: "a.txt", title: "A", sha256: Self.sha, bytes: 30, charset: "UTF-8",
                                         entities: [EntityMentions(key: "geo:1", name: "Paris", type: "City", spans: [0..<5])])
        let texts = ["Paris \"is\"\n", "Zoë\t\\ 😀\u{1}."]
        var start = 0
        for (index, text) in texts.enumerated() {
            let count = text.unicodeScalars.count
            document.chunks.append(TextChunk(index: index, start: start, end: start + count, text: text))
            start += count
        }
        var writer = InterchangeWriter()
        writer.write(document)
        let lines = String(decoding: writer.takeOutput(), as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        #expect(lines[2].hasPrefix(#"{"kind":"mention""#))
        #expect(lines[3] == #"{"kind":"chunk","source":"a.txt","index":0,"start":0,"end":11,"text":"Paris \"is\"\n"}"#)
        #expect(lines[4] == #"{"kind":"chunk","source":"a.txt","index":1,"start":11,"end":20,"text":"Zoë\t\\ 😀\u0001."}"#)
        // Foundation reads the same text back.
        let parsed = try? JSONSerialization.jsonObject(with: Data(lines[4].utf8)) as? [String: Any]
        #expect(parsed?["text"] as? String == texts[1])
    }

    @Test func readerReadsWhatTheWriterWritesAndComputesTheDigest() throws {
        var writer = InterchangeWriter()
        let text = "Line \"one\"\nand two\\ 東京 😀"
        let count = text.unicodeScalars.count
        writer.write(.document(.init(source: "d", sha256: Self.sha, bytes: 1, title: "")))
        writer.write(.chunk(.init(source: "d", index: 0, start: 3, end: 3 + count, text: text, sha256: "ignored")))
        writer.write(.chunk(.init(source: "d", index: 1, start: 3 + count, end: 3 + count, text: "", sha256: "x", embedding: [0.5, -1e-300, 3])))
        var reader = InterchangeReader(bytes: writer.takeOutput())
        let records = try reader.readAll()
        #expect(records.dropFirst() == [
            .chunk(.init(source: "d", index: 0, start: 3, end: 3 + count, text: text, sha256: Self.digest(text))),
            .chunk(.init(source: "d", index: 1, start: 3 + count, end: 3 + count, text: "", sha256: Self.digest(""), embedding: [0.5, -1e-300, 3])),
        ])
    }

    @Test func aGivenDigestThatMatchesAndAnEmbeddingOfIntegersAreAccepted() throws {
        let line = #"{"kind":"chunk","source":"d","index":0,"start":0,"end":2,"text":"ab","sha256":"\#(Self.digest("ab"))","embedding":[1,2.5,-3e2]}"#
        var reader = InterchangeReader(bytes: Array((Self.document + "\n" + line + "\n").utf8))
        let records = try reader.readAll()
        #expect(records.last == .chunk(.init(source: "d", index: 0, start: 0, end: 2, text: "ab", sha256: Self.digest("ab"), embedding: [1, 2.5, -300])))
    }

    @Test(arguments: [
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":3,"text":"ab"}"#, "'end' - 'start' is 3 but the text has 2 Unicode scalars"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":1,"text":"é"}"#, nil),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":2,"text":"e\u0301"}"#, nil),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":2,"text":"ab","sha256":"\#(String(repeating: "1", count: 64))"}"#,
         "'sha256' is not the SHA-256 of the chunk's text"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":2,"text":"ab","sha256":"AB"}"#, "'sha256' must be 64 lower-case hex digits"),
        (#"{"kind":"chunk","source":"d","index":0,"start":2,"end":0,"text":""}"#, "a chunk ends before it starts"),
        (#"{"kind":"chunk","source":"d","index":-1,"start":0,"end":0,"text":""}"#, "'index' must be a non-negative integer"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":0}"#, "'text' must be a string"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":0,"text":"","embedding":[1,"x"]}"#, "'embedding' item 1 is not a finite number"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":0,"text":"","embedding":[1,null]}"#, "'embedding' item 1 is not a finite number"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":0,"text":"","embedding":[true]}"#, "'embedding' item 0 is not a finite number"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":0,"text":"","embedding":[]}"#, "'embedding' must be a non-empty array of numbers"),
        (#"{"kind":"chunk","source":"d","index":0,"start":0,"end":0,"text":"","embedding":[NaN]}"#, "invalid JSON"),
        (#"{"kind":"chunk","source":"z","index":0,"start":0,"end":0,"text":""}"#, "chunk of a document with no earlier document line"),
    ] as [(String, String?)])
    func chunkLinesAreCheckedAlone(line: String, message: String?) {
        var reader = InterchangeReader(bytes: Array((Self.document + "\n" + line + "\n").utf8), name: "x.jsonl")
        guard let message else {
            #expect(throws: Never.self) { try reader.readAll() }
            return
        }
        let error = #expect(throws: ExtractionError.self) { try reader.readAll() }
        #expect(error?.description == "x.jsonl:2: \(message)")
        // The error names the document when the line could be read as an object with a source.
        #expect(error?.documentSource == (message == "invalid JSON" ? nil : line.contains(#""source":"z""#) ? "z" : "d"))
    }

    /// `extract`'s lines for a real document, read back: every chunk line parses, in order, with
    /// the chunker's text, offsets and digest.
    @Test func extractedChunksSurviveTheRoundTrip() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.path("gazetteer.tsv"))
        let extractor = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(chunker: try TextChunker(size: 40)))
        let text = "Paris is big. \"New York\" is bigger!\nTokyo\tis the biggest; 東京です。Then back to Paris, Texas. Done."
        let extracted = try extractor.extract(SourceDocument(source: "t.txt", title: "T", sha256: Self.digest(text), bytes: text.utf8.count,
                                                             charset: "UTF-8", text: text))
        #expect(extracted.chunks.count > 2)
        var writer = InterchangeWriter()
        writer.write(extracted)
        var reader = InterchangeReader(bytes: writer.takeOutput())
        let chunks = try reader.readAll().compactMap { record -> InterchangeRecord.Chunk? in
            if case .chunk(let chunk) = record { return chunk }
            return nil
        }
        #expect(chunks == extracted.chunks.map { InterchangeRecord.Chunk(source: "t.txt", $0) })
    }
}

/// The writer's string escaping, eight bytes at a time, against Foundation's JSON parser on
/// texts with every character that needs escaping at every position of a word.
@Suite struct InterchangeWriterEscapingTests {
    @Test func everyEscapedCharacterAtEveryPositionReadsBack() throws {
        let specials: [Character] = ["\"", "\\", "\n", "\r", "\t", "\u{01}", "\u{1F}", "é", "東", "😀"]
        for special in specials {
            for position in 0..<20 {
                var text = String(repeating: "abcdefgh", count: 3)
                let index = text.index(text.startIndex, offsetBy: position)
                text.insert(special, at: index)
                var writer = InterchangeWriter()
                writer.write(.chunk(.init(source: "s", index: 0, start: 0, end: text.unicodeScalars.count, text: text, sha256: "")))
                let line = writer.takeOutput().dropLast()
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                #expect(object["text"] as? String == text, "\(special.unicodeScalars.map { $0.value }) at \(position)")
            }
        }
    }
}
