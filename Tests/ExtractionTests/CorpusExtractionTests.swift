@testable import Extraction
import Foundation
import Testing

@Suite struct CorpusExtractionTests {
    static func extract(_ paths: [String], workers: Int) async throws -> (output: [UInt8], rejections: [SourceRejection]) {
        let gazetteer = try Gazetteer.load(path: Fixtures.path("gazetteer.tsv"))
        let extractor = try Extractor(gazetteer: gazetteer, rules: try RuleSet.load(path: Fixtures.path("rules.tsv")))
        let reader = CorpusReader(paths: paths)
        var writer = InterchangeWriter()
        var rejections: [SourceRejection] = []
        try await CorpusExtraction.run(files: reader.files().files, reader: reader, extractor: extractor, workers: workers) { result in
            result.documents.forEach { writer.write($0) }
            rejections += result.rejections
        }
        return (writer.takeOutput(), rejections)
    }

    @Test func sameOutputWithOneAndFourWorkers() async throws {
        // Many small files so that the four workers interleave.
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for index in 0..<60 {
            let text = String(repeating: "Paris \(index) New York City, 東京都 and İstanbul. ", count: index * 7 + 1)
            try text.write(toFile: folder + "/doc\(index).txt", atomically: true, encoding: .utf8)
        }
        let corpus = Fixtures.path("corpus")
        let one = try await Self.extract([corpus, folder], workers: 1)
        let four = try await Self.extract([corpus, folder], workers: 4)
        #expect(one.output == four.output)
        #expect(one.rejections == four.rejections)
        #expect(one.rejections.count == 5)
        // The output is valid interchange JSONL.
        var reader = InterchangeReader(bytes: one.output)
        let records = try reader.readAll()
        #expect(records.filter { if case .document = $0 { true } else { false } }.count == 71)
    }

    @Test func everySpanIsTheSurfaceOfAGazetteerTerm() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.path("gazetteer.tsv"))
        let extractor = try Extractor(gazetteer: gazetteer)
        let session = try extractor.makeSession()
        let tokenizer = try TextTokenizer()
        let terms = try Set(["New York City", "NYC", "Big Apple", "New York", "Paris", "Paname", "Paris, Texas", "東京", "Tokyo", "İstanbul", "Istanbul", "US", "U.S.", "ไทย", "Thai"].map { try tokenizer.normalize($0) })
        let reader = CorpusReader(paths: [Fixtures.path("corpus")])
        for file in reader.files().files {
            for case .document(let document) in reader.read(file) {
                let scalars = Array(document.text.unicodeScalars)
                for group in try session.extract(document).entities {
                    for span in group.spans {
                        let surface = String(String.UnicodeScalarView(scalars[span]))
                        #expect(terms.contains(try tokenizer.normalize(surface)), "\(document.source) \(span): \(surface)")
                    }
                }
            }
        }
    }

    @Test func largeOneLineFile() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let unit = "Travellers from Paris reach New York City by air; the Big Apple welcomes them. "
        let repetitions = 20_000_000 / unit.utf8.count
        try String(repeating: unit, count: repetitions).write(toFile: folder + "/big.txt", atomically: false, encoding: .utf8)
        let gazetteer = try Gazetteer.load(path: Fixtures.path("gazetteer.tsv"))
        let extractor = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(ambiguity: .first))
        let reader = CorpusReader(paths: [folder])
        let items = reader.read(try #require(reader.files().files.first))
        guard case .document(let document) = try #require(items.first) else {
            Issue.record("the file was rejected: \(items)")
            return
        }
        let extracted = try extractor.makeSession().extract(document)
        #expect(extracted.entities.map(\.key) == ["geo:paris", "geo:nyc"])
        #expect(extracted.entities.map(\.count) == [repetitions, 2 * repetitions])
        #expect(extracted.entities[1].spans.last?.upperBound == repetitions * unit.count - 16)
    }

    @Test func aRuleThatTimesOutRejectsTheDocumentOnly() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try (String(repeating: "a", count: 40) + "b").write(toFile: folder + "/evil.txt", atomically: true, encoding: .utf8)
        try "Paris".write(toFile: folder + "/fine.txt", atomically: true, encoding: .utf8)
        let extractor = try Extractor(
            gazetteer: try Gazetteer.load(path: Fixtures.path("gazetteer.tsv")),
            rules: try RuleSet(rules: [RuleSet.Rule(type: "Slow", pattern: "(a+)+$", key: "{match}")])
        )
        let reader = CorpusReader(paths: [folder])
        var documents: [String] = []
        var rejections: [SourceRejection] = []
        try await CorpusExtraction.run(files: reader.files().files, reader: reader, extractor: extractor, workers: 2) { result in
            documents += result.documents.map(\.source)
            rejections += result.rejections
        }
        #expect(documents == ["fine.txt"])
        #expect(rejections.map(\.source) == ["evil.txt"])
        #expect(rejections.first?.reason.hasPrefix("extraction failed") == true)
    }

    @Test func blocksAreCutAfterWhiteSpaceAndNeverInsideASurrogatePair() {
        let spaced = Array(String(repeating: "Paris and New York City ", count: 60_000).utf16)
        let cut = spaced.withUnsafeBufferPointer { ExtractionSession.blockEnd($0, from: 0) }
        #expect(cut <= ExtractionSession.blockUnits && cut > ExtractionSession.blockUnits / 2)
        #expect(spaced[cut - 1] == 0x20 && spaced[cut] != 0x20)
        let emoji = Array(("a" + String(repeating: "😀", count: 600_000)).utf16)
        let emojiCut = emoji.withUnsafeBufferPointer { ExtractionSession.blockEnd($0, from: 0) }
        #expect(emojiCut == ExtractionSession.blockUnits - 1)
        #expect(!UTF16.isTrailSurrogate(emoji[emojiCut]))
    }
}

@Suite struct CorpusExtractionRecordsTests {
    @Test func oneBigJSONLFileGivesTheSameOutputOnOneAndThreeWorkers() async throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Enough records for several units of work, of uneven sizes so that workers finish out
        // of order; a bad record and a plain file among them.
        var lines: [String] = []
        for index in 0..<700 {
            let text = String(repeating: "Paris \(index) New York City, 東京都 and İstanbul. ", count: index % 37 * 9 + 1)
            lines.append(#"{"id":\#(index),"text":"\#(text)"}"#)
            if index == 300 { lines.append("{broken") }
        }
        try lines.joined(separator: "\n").write(toFile: folder + "/a.jsonl", atomically: true, encoding: .utf8)
        try "Tokyo and Paris".write(toFile: folder + "/b.txt", atomically: true, encoding: .utf8)
        let one = try await CorpusExtractionTests.extract([folder], workers: 1)
        let three = try await CorpusExtractionTests.extract([folder], workers: 3)
        #expect(one.output == three.output)
        #expect(one.rejections == three.rejections)
        #expect(one.rejections.map(\.line) == [302])
        var reader = InterchangeReader(bytes: three.output)
        let documents = try reader.readAll().compactMap { record -> String? in
            if case .document(let document) = record { return document.source }
            return nil
        }
        #expect(documents.count == 701)
        #expect(documents.prefix(3) == ["a.jsonl#0", "a.jsonl#1", "a.jsonl#2"])
        #expect(documents.last == "b.txt")
    }
}
