import CICU
@testable import Extraction
import Testing

/// The C tokenizer looks document tokens up in the vocabulary itself (with a cache of recent
/// answers): it must give what tokenizing, normalizing and asking the vocabulary gives.
@Suite struct TokenLookupTests {
    static let known = "Paris PARIS New York İstanbul straße ＴＯＫＹＯ 東京 ภาษาไทย Οδυσσευς x1 x2 "
        + "a_very_long_identifier.with.dots ‘quoted’ Macy’s"

    static func vocabulary(of text: String, using tokenizer: TextTokenizer) throws -> TokenVocabulary {
        var vocabulary = TokenVocabulary()
        for token in try tokenizer.tokens(in: text) {
            _ = Array(token.normalized.utf16).withUnsafeBufferPointer { vocabulary.intern($0) }
        }
        vocabulary.setValues { $0 * 3 + 1 }
        return vocabulary
    }

    /// (start, end, scalar start, scalar end, id, value) of each token, the slow way.
    static func expected(_ text: String, _ vocabulary: TokenVocabulary, using tokenizer: TextTokenizer) throws -> [[Int32]] {
        try tokenizer.tokens(in: text).map { token in
            let id = Array(token.normalized.utf16).withUnsafeBufferPointer { vocabulary.id(of: $0) }
            return [
                Int32(token.utf16Range.lowerBound), Int32(token.utf16Range.upperBound),
                Int32(token.scalarRange.lowerBound), Int32(token.scalarRange.upperBound),
                id, id < 0 ? -1 : vocabulary.value(of: id),
            ]
        }
    }

    static func lookUp(_ text: String, _ vocabulary: TokenVocabulary, using tokenizer: TextTokenizer) throws -> [[Int32]] {
        let units = Array(text.utf16)
        var found = [gi_found_token](repeating: gi_found_token(), count: units.count + 1)
        let count = try units.withUnsafeBufferPointer { text in
            try vocabulary.withTable { table in
                try found.withUnsafeMutableBufferPointer { try tokenizer.lookUp(text, in: table, into: $0) }
            }
        }
        return found[0..<count].map { [$0.start, $0.end, $0.scalar_start, $0.scalar_end, $0.id, $0.value] }
    }

    @Test func lookUpAgreesWithTheVocabulary() throws {
        let tokenizer = try TextTokenizer()
        let vocabulary = try Self.vocabulary(of: Self.known, using: tokenizer)
        let text = Self.known + " Parisian unknown STRASSE tokyo 東京都に住む ภาษาไทยง่าย ΟΔΥΣΣΕΥΣ "
            + Self.known.uppercased() + "\n" + Self.known
        let expected = try Self.expected(text, vocabulary, using: tokenizer)
        #expect(expected.contains { $0[4] < 0 } && expected.contains { $0[4] >= 0 })
        // Twice: the second time, the repeated tokens are answered from the cache.
        #expect(try Self.lookUp(text, vocabulary, using: tokenizer) == expected)
        #expect(try Self.lookUp(text, vocabulary, using: tokenizer) == expected)
    }

    @Test func anotherTableDoesNotSeeCachedAnswers() throws {
        let tokenizer = try TextTokenizer()
        let first = try Self.vocabulary(of: Self.known, using: tokenizer)
        let second = try Self.vocabulary(of: "york paris", using: tokenizer)
        _ = try Self.lookUp(Self.known, first, using: tokenizer)
        let text = "Paris New York"
        #expect(try Self.lookUp(text, second, using: tokenizer) == Self.expected(text, second, using: tokenizer))
        #expect(try Self.lookUp(text, second, using: tokenizer).map { $0[4] } == [1, -1, 0])
    }
}
