import CICU
@testable import Extraction
import Foundation
import Testing

/// The shim finds ASCII sentences without ICU's sentence iterator (see `gi_ascii_sentence_end`):
/// every boundary must be ICU's. Each input goes through the same root-locale breaker twice, with
/// the ASCII path and with it disabled (ICU alone), and any difference fails.
@Suite struct TextChunkerSentenceFastPathTests {
    /// Two root-locale sentence breakers, one with the ASCII path and one with ICU alone, and a
    /// word breaker for cutting long sentences.
    final class Breakers {
        let fast: OpaquePointer
        let icu: OpaquePointer
        let words: OpaquePointer

        init() throws {
            var status: gi_status = 0
            fast = try #require(gi_breaker_open(GI_BREAK_SENTENCE, "", &status))
            icu = try #require(gi_breaker_open(GI_BREAK_SENTENCE, "", &status))
            words = try #require(gi_breaker_open(GI_BREAK_WORD, "", &status))
            #expect(gi_breaker_ascii_fast(fast) == 1, "the root locale's sentence breaker takes the ASCII path")
            gi_breaker_disable_ascii_fast(icu)
            #expect(gi_breaker_ascii_fast(icu) == 0)
        }

        deinit {
            gi_breaker_close(fast)
            gi_breaker_close(icu)
            gi_breaker_close(words)
        }

        /// The segment ends (UTF-16, scalar, UTF-8, kind) of `units`.
        func segments(_ units: [UInt16], with sentences: OpaquePointer, maxScalars: Int32) -> [[Int32]] {
            var status: gi_status = 0
            var out = [gi_boundary](repeating: gi_boundary(), count: units.count + 16)
            let count = gi_sentence_segments(sentences, words, units, Int32(units.count), maxScalars, &out, Int32(out.count), &status)
            #expect(gi_status_is_failure(status) == 0)
            return out[0..<Int(count)].map { [$0.utf16, $0.scalar, $0.utf8, $0.kind] }
        }

        /// Records the first differing boundary when the ASCII path and ICU disagree on `text`.
        func expectICUBoundaries(_ text: String, maxScalars: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
            let units = Array(text.utf16)
            let fast = segments(units, with: self.fast, maxScalars: maxScalars)
            let icu = segments(units, with: self.icu, maxScalars: maxScalars)
            guard fast != icu else { return true }
            let at = (0..<min(fast.count, icu.count)).first { fast[$0] != icu[$0] } ?? min(fast.count, icu.count)
            let from = Int(at == 0 ? 0 : icu[at - 1][0])
            let context = String(decoding: units[max(0, from - 20)..<min(units.count, from + 80)], as: UTF16.self)
            Issue.record("boundary \(at) differs: fast \(at < fast.count ? fast[at] : []), ICU \(at < icu.count ? icu[at] : []) after UTF-16 offset \(from) in \(context.debugDescription)", sourceLocation: sourceLocation)
            return false
        }
    }

    static let asciiPieces = [
        "U.S. ", "3.14", "Mr. smith", "Mr. Smith", "e.g. the", "(Yes.) He", "\"Stop!\" she", "...", "?!", "a.b", "A.B",
        "End.\nNext", "end.\r\nNext", "end.\rNext", ".)", "'quoted.' Then", "\t", "  ", "   ", " ", " ", " ", "word", "Word",
        "words", "the", "and", "1.", ". 5", ".5", "etc. 12 b", "etc. 12 B", "x.) y", ". ) y", ",", ";", ":", "-", " - ",
        "!", "?", ".", ". ", "! ", "? ", ".\" ", ".' ", ".) ", ".] ", ".} ", "[a]", "{b}", "\n", "\r", "\r\n", "\n\n",
        "\u{0B}", "\u{0C}", "#", "$", "%", "&", "*", "+", "/", "<", "=", ">", "@", "^", "_", "`", "|", "~", "\u{01}",
        "\u{7F}", "9", "42", "A", "z", "Q.", "q.", ".A", ".a", ".1", "?.", ".?", "!.", "x?y", "X!Y", ". , b", ".:b",
    ]

    static let otherPieces = [
        "é", "É", "É.", "Ä. b", "ß", "\u{301}", ".\u{301} b", ". \u{301}B", "。", "！", "\u{2029}", "\u{85}", "\u{2028}",
        "\u{A0}", "\u{3000}", "”", "’", "“", "\u{200B}", "\u{AD}", "\u{200D}", "ﬁ", "１", "Ω", "ｂ", "Ｂ", "😀", "东京", "ภาษา",
        "\u{2024}", "\u{FE52}", "\u{203C}", "\u{2E2E}", "\u{FF0E}", "«", "»", "\u{2013}", "\u{FE0F}", "\u{0130}", "ǅ",
    ]

    static func randomText(pieces: [String], others: [String] = [], count: Int, seed: UInt64) -> String {
        var generator = TextChunkerTests.SplitMix(state: seed)
        var text = ""
        for _ in 0..<count {
            if !others.isEmpty && Int.random(in: 0..<12, using: &generator) == 0 {
                text += others.randomElement(using: &generator)!
            } else {
                text += pieces.randomElement(using: &generator)!
            }
        }
        return text
    }

    @Test func theASCIIPathIsOnlyTakenForTheRootLocale() throws {
        for (locale, fast) in [("", 1), ("root", 1), ("en@ss=standard", 0), ("en", 0), ("el", 0), ("de@ss=standard", 0)] {
            var status: gi_status = 0
            let breaker = try #require(gi_breaker_open(GI_BREAK_SENTENCE, locale, &status))
            #expect(gi_breaker_ascii_fast(breaker) == Int32(fast), "locale \(locale.debugDescription)")
            gi_breaker_close(breaker)
        }
    }

    @Test(arguments: TextChunkerTests.corpora)
    func fixtureDocumentsGetICUSentences(corpus: String) throws {
        let breakers = try Breakers()
        let documents = TextChunkerTests.documents(in: corpus)
        #expect(documents.count >= 5)
        for document in documents {
            _ = breakers.expectICUBoundaries(document.text)
            _ = breakers.expectICUBoundaries(document.text, maxScalars: 40)
        }
    }

    @Test func randomASCIIFromTrickyPiecesGetsICUSentences() throws {
        let breakers = try Breakers()
        for seed in 0..<200 as Range<UInt64> {
            guard breakers.expectICUBoundaries(Self.randomText(pieces: Self.asciiPieces, count: 400, seed: seed)) else { return }
        }
        // One large text, and the same cut into chunks (word breaks inside long sentences).
        let large = Self.randomText(pieces: Self.asciiPieces, count: 400_000, seed: 7)
        #expect(large.utf8.count > 1_000_000)
        _ = breakers.expectICUBoundaries(large)
        _ = breakers.expectICUBoundaries(large, maxScalars: 60)
    }

    @Test func shortRandomASCIIStringsGetICUSentences() throws {
        let breakers = try Breakers()
        // Every class of character, in every short arrangement a seeded generator reaches.
        let alphabet = Array("aZ1.!?\"')([]{} \t\u{0B}\u{0C}\r\n,-:;#_\u{01}\u{7F}".unicodeScalars).map(String.init)
        var generator = TextChunkerTests.SplitMix(state: 42)
        for _ in 0..<100_000 {
            let length = Int.random(in: 1...14, using: &generator)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            guard breakers.expectICUBoundaries(text) else { return }
        }
    }

    @Test func mixedASCIIAndOtherTextGetsICUSentences() throws {
        let breakers = try Breakers()
        for seed in 0..<300 as Range<UInt64> {
            guard breakers.expectICUBoundaries(Self.randomText(pieces: Self.asciiPieces, others: Self.otherPieces, count: 300, seed: 1_000 + seed)) else { return }
        }
        let alphabet = Array("aZ1.!?\"') \t\r\n,;".unicodeScalars).map(String.init) + Self.otherPieces
        var generator = TextChunkerTests.SplitMix(state: 99)
        for _ in 0..<50_000 {
            let length = Int.random(in: 1...12, using: &generator)
            let text = (0..<length).map { _ in alphabet.randomElement(using: &generator)! }.joined()
            guard breakers.expectICUBoundaries(text) else { return }
        }
        let large = Self.randomText(pieces: Self.asciiPieces, others: Self.otherPieces, count: 200_000, seed: 5)
        _ = breakers.expectICUBoundaries(large)
        _ = breakers.expectICUBoundaries(large, maxScalars: 60)
    }

    @Test func everyShortArrangementOfTheSentenceClassesGetsICUSentences() throws {
        // One character of each ASCII sentence-break class (the shim checks its classes against
        // ICU's property at open), in every arrangement up to 5 long; then with characters of
        // the classes ASCII lacks or that look like ASCII ones (letters, marks, format, CJK
        // terminators, separators, no-break space, quotes, full-width digits) up to 4 long.
        let breakers = try Breakers()
        let ascii = Array("aZ1.?) \r\n,#".utf16)
        let mixed = ascii + [0xE9, 0xC9, 0x301, 0xAD, 0x3002, 0x2029, 0xA0, 0x201D, 0xFF11, 0x6771, 0x85, 0xFF0E]
        for (alphabet, longest) in [(ascii, 5), (mixed, 4)] {
            var text: [UInt16] = []
            func extend() -> Bool {
                if !text.isEmpty {
                    guard breakers.expectICUBoundaries(String(decoding: text, as: UTF16.self)) else { return false }
                }
                guard text.count < longest else { return true }
                for unit in alphabet {
                    text.append(unit)
                    defer { text.removeLast() }
                    guard extend() else { return false }
                }
                return true
            }
            guard extend() else { return }
        }
    }

    @Test func aLongParagraphMixingASCIIAndOtherSentencesTakesLinearTime() throws {
        // ICU takes over inside a paragraph at most once (moving its iterator backs it up to the
        // paragraph's start): one line of alternating sentences stays linear, with ICU's breaks.
        let breakers = try Breakers()
        let session = try TextChunker(size: 1_500).makeSession()
        let unit = "Plain ASCII sentence number one. Ein Satz über Köln und Zürich. Another one! "
        func timed(_ megabytes: Int) throws -> Double {
            let text = String(repeating: unit, count: megabytes * 1_000_000 / unit.utf8.count)
            return try threadCPUSeconds { _ = try session.chunks(of: text) }
        }
        #expect(breakers.expectICUBoundaries(String(repeating: unit, count: 2_000), maxScalars: 1_500))
        let small = try timed(1)
        let large = try timed(8)
        #expect(large < 30 * max(small, 0.01), "1 MB: \(small) s, 8 MB: \(large) s of CPU")
    }
}
