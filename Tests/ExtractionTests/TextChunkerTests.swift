@testable import Extraction
import Foundation
import Testing

@Suite struct TextChunkerTests {
    // MARK: Properties

    /// Checks what holds for every chunking: chunks non-empty, indexed 0..<n, at most `size`
    /// scalars, each one's text the document's scalars start..<end with the right hash, starts and
    /// ends increasing and no gap between chunks; without overlap, the texts tile the document.
    static func checkProperties(_ chunks: [TextChunk], of text: String, size: Int, overlap: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let scalars = Array(text.unicodeScalars)
        #expect(chunks.isEmpty == scalars.isEmpty, "only an empty text has no chunks", sourceLocation: sourceLocation)
        #expect(chunks.map(\.index) == Array(chunks.indices), sourceLocation: sourceLocation)
        for chunk in chunks {
            #expect(chunk.start < chunk.end && chunk.end - chunk.start <= size, "chunk \(chunk.index) spans \(chunk.range)", sourceLocation: sourceLocation)
            guard chunk.start >= 0, chunk.end <= scalars.count, chunk.start < chunk.end else { continue }
            #expect(chunk.text == String(String.UnicodeScalarView(scalars[chunk.range])), "chunk \(chunk.index)", sourceLocation: sourceLocation)
            #expect(chunk.sha256 == SHA256.hex(Array(chunk.text.utf8)), sourceLocation: sourceLocation)
        }
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(previous.start < next.start && previous.end < next.end, "chunks advance", sourceLocation: sourceLocation)
            #expect(next.start <= previous.end, "no gap", sourceLocation: sourceLocation)
            #expect(previous.end - next.start <= overlap, "overlap within \(overlap)", sourceLocation: sourceLocation)
        }
        if let first = chunks.first, let last = chunks.last {
            #expect(first.start == 0 && last.end == scalars.count, sourceLocation: sourceLocation)
        }
        if overlap == 0 {
            #expect(chunks.map(\.text).joined() == text, "the chunks tile the text", sourceLocation: sourceLocation)
        }
    }

    static func documents(in corpus: String) -> [SourceDocument] {
        let reader = CorpusReader(paths: [corpus])
        return reader.files().files.flatMap { file in
            reader.read(file).compactMap { item -> SourceDocument? in
                if case .document(let document) = item { return document }
                return nil
            }
        }
    }

    static let corpora = [Fixtures.path("corpus"), Fixtures.root + "/../demo/corpus"]

    @Test(arguments: corpora)
    func fixtureDocumentsChunkIntoTilesWithinTheSize(corpus: String) throws {
        let documents = Self.documents(in: corpus)
        #expect(documents.count >= 5)
        for (size, overlap) in [(1_500, 0), (200, 0), (40, 0), (7, 0), (200, 60), (40, 39)] {
            let session = try TextChunker(size: size, overlap: overlap).makeSession()
            for document in documents {
                Self.checkProperties(try session.chunks(of: document.text), of: document.text, size: size, overlap: overlap)
            }
        }
    }

    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// A script for random text: its letters, what separates words and what ends sentences.
    struct Script: Sendable, CustomStringConvertible {
        var description: String
        var letters: [String]
        var wordSeparators: [String]
        var sentenceEnds: [String]

        static func range(_ range: ClosedRange<UInt32>) -> [String] {
            range.compactMap(Unicode.Scalar.init).map { String($0) }
        }

        static let all: [Script] = [
            Script(description: "Latin", letters: range(0x61...0x7A) + ["é", "ß", "ø", "Ł"], wordSeparators: [" ", " ", ", ", "\n"], sentenceEnds: [". ", "! ", "? ", ".\n\n"]),
            Script(description: "Cyrillic", letters: range(0x430...0x44F), wordSeparators: [" ", " — "], sentenceEnds: [". ", "? "]),
            Script(description: "Greek", letters: range(0x3B1...0x3C9), wordSeparators: [" "], sentenceEnds: [". ", "; "]),
            Script(description: "Arabic", letters: range(0x628...0x64A) + ["بَ", "كِ"], wordSeparators: [" ", "، "], sentenceEnds: [". ", "؟ "]),
            Script(description: "Hebrew", letters: range(0x5D0...0x5EA) + ["שָׁ"], wordSeparators: [" "], sentenceEnds: [". ", "! "]),
            Script(description: "CJK", letters: range(0x4E00...0x4E80) + range(0x3042...0x3093), wordSeparators: ["", "", "、"], sentenceEnds: ["。", "！", "？", "。\n"]),
            Script(description: "Thai", letters: range(0xE01...0xE2E) + ["ก่", "น้ำ"], wordSeparators: ["", "", " "], sentenceEnds: ["\n", "  "]),
            Script(description: "emoji and combining marks", letters: ["😀", "👩‍👩‍👧", "👍🏽", "🇫🇷", "e\u{301}", "a\u{308}\u{323}", "x", "ก\u{E34}"], wordSeparators: [" ", ""], sentenceEnds: ["! ", ". "]),
        ]

        func text(words: Int, using random: inout SplitMix) -> String {
            var text = ""
            for index in 0..<words {
                // Now and then a very long word, to exercise the cuts inside sentences.
                let length = Int.random(in: 0..<40, using: &random) == 0 ? Int.random(in: 20...300, using: &random) : Int.random(in: 1...9, using: &random)
                for _ in 0..<length { text += letters.randomElement(using: &random)! }
                if index == words - 1, Bool.random(using: &random) { break }
                text += Int.random(in: 0..<8, using: &random) == 0 ? sentenceEnds.randomElement(using: &random)! : wordSeparators.randomElement(using: &random)!
            }
            return text
        }
    }

    @Test(arguments: Script.all)
    func randomTextsChunkIntoTilesWithinTheSize(script: Script) throws {
        var random = SplitMix(state: 13)
        let chunker = try TextChunker(size: 60)
        let session = try chunker.makeSession()
        for round in 0..<40 {
            let text = script.text(words: Int.random(in: 0...300, using: &random), using: &random)
            let size = [1, 2, 5, 17, 60, 250, 1_500][round % 7]
            let overlap = round % 3 == 0 ? 0 : Int.random(in: 0..<size, using: &random)
            let chunks = try TextChunker(size: size, overlap: overlap).makeSession().chunks(of: text)
            Self.checkProperties(chunks, of: text, size: size, overlap: overlap)
            // A reused session gives what a fresh one gives.
            #expect(try session.chunks(of: text) == chunker.chunks(of: text))
        }
    }

    @Test(arguments: Script.all)
    func sentencesTileTheText(script: Script) throws {
        var random = SplitMix(state: 99)
        let session = try TextChunker().makeSession()
        for _ in 0..<10 {
            let text = script.text(words: 200, using: &random)
            let sentences = try session.sentences(in: text)
            #expect(sentences.first?.lowerBound == 0)
            #expect(sentences.last?.upperBound == text.unicodeScalars.count)
            for (previous, next) in zip(sentences, sentences.dropFirst()) {
                #expect(previous.upperBound == next.lowerBound && !next.isEmpty)
            }
        }
    }

    // MARK: Cuts

    @Test func chunksHoldWholeSentences() throws {
        let text = "One two three. Four five six seven! Eight nine? Ten."
        let chunks = try TextChunker(size: 36).chunks(of: text)
        #expect(chunks.map(\.text) == ["One two three. Four five six seven! ", "Eight nine? Ten."])
        #expect(chunks.map(\.range) == [0..<36, 36..<52])
        let sentences = try TextChunker().makeSession().sentences(in: text)
        #expect(sentences == [0..<15, 15..<36, 36..<48, 48..<52])
    }

    @Test func aLongSentenceIsCutAtWordBreaks() throws {
        var random = SplitMix(state: 5)
        let words = (0..<2_000).map { _ in String((0..<Int.random(in: 1...12, using: &random)).map { _ in "abcdefghij".randomElement(using: &random)! }) }
        let text = words.joined(separator: " ") + "."
        for size in [12, 13, 30, 100] {
            let chunks = try TextChunker(size: size).chunks(of: text)
            Self.checkProperties(chunks, of: text, size: size, overlap: 0)
            // No word is split: every cut has a space on one side.
            for chunk in chunks.dropLast() {
                let before = chunk.text.unicodeScalars.last!
                let after = text.unicodeScalars[text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: chunk.end)]
                #expect(before == " " || after == " ", "cut inside a word at \(chunk.end)")
            }
            // Greedy: a chunk ends where the next word would not fit (words are at most 12 letters).
            for chunk in chunks.dropLast() {
                #expect(chunk.end - chunk.start > size - 13 - 1)
            }
        }
    }

    @Test func thaiWithoutSentenceEndsIsCutAtItsWordBoundaries() throws {
        let sentence = "ภาษาไทยเป็นภาษาที่ไม่มีการเว้นวรรคระหว่างคำและไม่มีเครื่องหมายวรรคตอนท้ายประโยค"
        let text = String(repeating: sentence, count: 20)
        let boundaries = Set(try TextTokenizer().tokens(in: text).flatMap { [$0.scalarRange.lowerBound, $0.scalarRange.upperBound] })
        let chunks = try TextChunker(size: 50).chunks(of: text)
        Self.checkProperties(chunks, of: text, size: 50, overlap: 0)
        #expect(chunks.count > 20)
        for chunk in chunks {
            #expect(boundaries.contains(chunk.end), "chunk \(chunk.index) ends inside a Thai word")
        }
    }

    @Test func chineseAndJapaneseSentencesEndAtTheirPunctuation() throws {
        let chinese = "北京是中国的首都。上海是最大的城市！你去过吗？我没去过。"
        let japanese = "東京は日本の首都です。大阪にも行きましたか？はい！"
        let session = try TextChunker().makeSession()
        #expect(try session.sentences(in: chinese) == [0..<9, 9..<18, 18..<23, 23..<28])
        #expect(try session.sentences(in: japanese) == [0..<11, 11..<22, 22..<25])
        let chunks = try TextChunker(size: 18).chunks(of: chinese)
        #expect(chunks.map(\.text) == ["北京是中国的首都。上海是最大的城市！", "你去过吗？我没去过。"])
    }

    @Test func aTenMegabyteRunWithoutBreaksIsCutAtTheSizeInLinearTime() throws {
        let session = try TextChunker(size: 1_500).makeSession()
        func timed(_ megabytes: Int) throws -> (chunks: [TextChunk], seconds: Double) {
            let text = String(repeating: "abcdefghij", count: megabytes * 100_000)
            var chunks: [TextChunk] = []
            let seconds = try threadCPUSeconds { chunks = try session.chunks(of: text) }
            return (chunks, seconds)
        }
        let small = try timed(1)
        let large = try timed(10)
        #expect(large.chunks.count == 10_000_000 / 1_500 + 1)
        #expect(large.chunks.dropLast().allSatisfy { $0.end - $0.start == 1_500 && $0.text.utf8.count == 1_500 })
        #expect(large.chunks.last?.end == 10_000_000)
        // Ten times the text, about ten times the CPU time (a quadratic cut would take a hundred).
        #expect(large.seconds < 30 * max(small.seconds, 0.01), "1 MB: \(small.seconds) s, 10 MB: \(large.seconds) s of CPU")
    }

    @Test func aHardCutKeepsCombiningMarksWithTheirLetter() throws {
        let text = String(repeating: "e\u{301}a\u{308}\u{323}", count: 200)
        let chunks = try TextChunker(size: 10).chunks(of: text)
        Self.checkProperties(chunks, of: text, size: 10, overlap: 0)
        for chunk in chunks {
            #expect(!["\u{301}", "\u{308}", "\u{323}"].contains(chunk.text.unicodeScalars.first!), "chunk \(chunk.index) starts with a mark")
        }
    }

    // MARK: Overlap

    @Test func overlapRepeatsWholeSentencesWithinIt() throws {
        // Sentences of 10 scalars each: "Sentence0. ", ... (11 with the space).
        let sentences = (0..<30).map { "Sentenc\($0 % 10)\($0 / 10). " }
        let text = sentences.joined()
        let chunks = try TextChunker(size: 55, overlap: 25).chunks(of: text)
        Self.checkProperties(chunks, of: text, size: 55, overlap: 25)
        for chunk in chunks {
            #expect(chunk.start % 11 == 0 && (chunk.end % 11 == 0 || chunk.end == text.unicodeScalars.count), "whole sentences")
        }
        for (previous, next) in zip(chunks, chunks.dropFirst()) {
            #expect(previous.end - next.start == 22, "two sentences of 11 fit in 25")
        }
        // An overlap smaller than a sentence repeats nothing.
        let none = try TextChunker(size: 55, overlap: 10).chunks(of: text)
        #expect(none.map(\.text).joined() == text)
    }

    @Test func overlapAlwaysAdvances() throws {
        // Sentences nearly as long as the chunk: the overlap gives way to the next sentence.
        let text = (0..<50).map { "\(String(repeating: "w", count: 5 + $0 % 7)) \(String(repeating: "v", count: 40 - $0 % 7)). " }.joined()
        for overlap in [1, 30, 49, 59] {
            let chunks = try TextChunker(size: 60, overlap: overlap).chunks(of: text)
            Self.checkProperties(chunks, of: text, size: 60, overlap: overlap)
            #expect(chunks.count < 200)
        }
    }

    // MARK: Edges

    @Test func anEmptyTextHasNoChunksAndWhiteSpaceIsKept() throws {
        let session = try TextChunker(size: 4).makeSession()
        #expect(try session.chunks(of: "").isEmpty)
        #expect(try session.sentences(in: "").isEmpty)
        let blank = " \n\n\t   \r\n  "
        let chunks = try session.chunks(of: blank)
        Self.checkProperties(chunks, of: blank, size: 4, overlap: 0)
    }

    @Test(arguments: [(0, 0), (-5, 0), (100, 100), (100, -1), (100, 200)])
    func sizesAndOverlapsOutOfRangeAreRejected(size: Int, overlap: Int) {
        #expect(throws: ExtractionError.self) { try TextChunker(size: size, overlap: overlap) }
    }

    @Test func theFingerprintFollowsTheSettings() throws {
        let base = try TextChunker().fingerprint
        #expect(try TextChunker().fingerprint == base)
        #expect(try TextChunker(size: 1_000).fingerprint != base)
        #expect(try TextChunker(overlap: 100).fingerprint != base)
        #expect(TextChunker.defaultSize == 1_500)
    }
}
