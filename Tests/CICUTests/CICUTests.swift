import CICU
// Foundation is imported on purpose: it carries its own ICU, and this target proves the shim's
// header does not clash with it.
import Foundation
import Testing

@Suite struct CICUTests {
    static func utf16(_ string: String) -> [UInt16] { Array(string.utf16) }

    static func words(_ text: String, locale: String = "") throws -> [String] {
        var status: gi_status = 0
        let breaker = try #require(gi_breaker_open(GI_BREAK_WORD, locale, &status))
        defer { gi_breaker_close(breaker) }
        let units = utf16(text)
        let capacity = Int32(units.count + 1)
        var starts = [Int32](repeating: 0, count: Int(capacity))
        var ends = starts
        var rules = starts
        let count = gi_breaker_segments(breaker, units, Int32(units.count), 1, &starts, &ends, &rules, capacity, &status)
        #expect(gi_status_is_failure(status) == 0)
        return (0..<Int(count)).map { index in
            String(decoding: units[Int(starts[index])..<Int(ends[index])], as: UTF16.self)
        }
    }

    static func fold(_ text: String) -> String {
        let units = utf16(text)
        var status: gi_status = 0
        var dest = [UInt16](repeating: 0, count: units.count * 3 + 1)
        let length = gi_fold_case(units, Int32(units.count), &dest, Int32(dest.count), &status)
        #expect(gi_status_is_failure(status) == 0)
        return String(decoding: dest[0..<Int(length)], as: UTF16.self)
    }

    @Test func japaneseSentenceSplitsIntoWords() throws {
        // ICU's dictionary-based segmentation: no spaces in the input.
        let words = try Self.words("東京都に住んでいます")
        #expect(words.first == "東京")
        #expect(words.count >= 4)
        #expect(words.joined() == "東京都に住んでいます")
    }

    @Test func thaiSentenceSplitsIntoWords() throws {
        let words = try Self.words("ภาษาไทยง่ายนิดเดียว")
        #expect(words == ["ภาษา", "ไทย", "ง่าย", "นิด", "เดียว"])
    }

    @Test func punctuationAndSpacesAreLeftOut() throws {
        #expect(try Self.words("Hello, world! 42 times.") == ["Hello", "world", "42", "times"])
    }

    @Test func caseFolding() {
        #expect(Self.fold("Straße") == "strasse")
        // Full folding of U+0130 keeps the dot above as a combining mark.
        #expect(Self.fold("İstanbul") == "i\u{307}stanbul")
        #expect(Self.fold("ΣΊΣΥΦΟΣ") == "σίσυφοσ")
    }

    @Test func nfkcCasefoldNormalizesCompatibilityForms() {
        let units = Self.utf16("ＰＡＲＩＳ ﬁle")
        var status: gi_status = 0
        var dest = [UInt16](repeating: 0, count: 64)
        let length = gi_normalize(GI_NFKC_CASEFOLD, units, Int32(units.count), &dest, 64, &status)
        #expect(String(decoding: dest[0..<Int(length)], as: UTF16.self) == "paris file")
        let ascii = Self.utf16("already normal")
        #expect(gi_normalized_prefix_length(GI_NFKC, ascii, Int32(ascii.count), &status) == Int32(ascii.count))
    }

    @Test func linkedAgainstSystemICU() {
        let version = String(cString: gi_icu_version())
        #expect(version.split(separator: ".").first.flatMap { Int($0) } ?? 0 >= 60)
    }

    @Test func tokenizeGivesScalarOffsetsAndFoldedForms() throws {
        var status: gi_status = 0
        let breaker = try #require(gi_breaker_open(GI_BREAK_WORD, "", &status))
        defer { gi_breaker_close(breaker) }
        let units = Self.utf16("😀 İSTANBUL, Straße")
        var tokens = [gi_token](repeating: gi_token(), count: 16)
        var norm = [UInt16](repeating: 0, count: 64)
        var needed: Int32 = 0
        let count = Int(gi_tokenize(breaker, units, Int32(units.count), 0, &tokens, 16, &norm, 64, &needed, &status))
        #expect(gi_status_is_failure(status) == 0)
        let forms = (0..<count).map { String(decoding: norm[Int(tokens[$0].norm_start)..<Int(tokens[$0].norm_start + tokens[$0].norm_length)], as: UTF16.self) }
        #expect(forms == ["😀", "istanbul", ",", "strasse"])
        #expect(tokens[1].start == 3 && tokens[1].scalar_start == 2 && tokens[1].scalar_end == 10)
    }

    @Test func regexFindsEveryMatchInOneCall() throws {
        var status: gi_status = 0
        var line: Int32 = 0
        var offset: Int32 = 0
        let pattern = Self.utf16(#"\d{4}-\d{2}-\d{2}"#)
        let regex = try #require(gi_regex_open(pattern, Int32(pattern.count), 0, &line, &offset, &status))
        defer { gi_regex_close(regex) }
        let text = Self.utf16("from 2024-01-02 to 2024-12-31")
        var starts = [Int32](repeating: 0, count: 4)
        var ends = starts
        #expect(gi_regex_find_all(regex, text, Int32(text.count), &starts, &ends, 4, &status) == 2)
        #expect(Array(starts.prefix(2)) == [5, 19] && Array(ends.prefix(2)) == [15, 29])
        let broken = Self.utf16("(")
        #expect(gi_regex_open(broken, 1, 0, &line, &offset, &status) == nil)
        #expect(gi_status_is_failure(status) != 0)
    }

    @Test(arguments: [
        "", "a", "plain ASCII text that is longer than eight bytes", "café", "Ünïcödé at the start",
        "ends in ü", "東京都に住む and then ASCII again 12345678", "😀 emoji 😀😀 between",
        "mixed: ภาษาไทย, Ελληνικά, العربية, עברית — and back to ASCII",
    ])
    func utf8ToUTF16(text: String) {
        let utf8 = Array(text.utf8)
        var dest = [UInt16](repeating: 0, count: utf8.count + 1)
        var status: gi_status = 0
        let length = gi_utf8_to_utf16(utf8, Int32(utf8.count), &dest, Int32(dest.count), &status)
        #expect(gi_status_is_failure(status) == 0)
        #expect(Array(dest[0..<Int(length)]) == Array(text.utf16))
        // Too little room: the length needed, nothing more.
        var small = [UInt16](repeating: 0, count: 2)
        #expect(gi_utf8_to_utf16(utf8, Int32(utf8.count), &small, 2, &status) == Int32(text.utf16.count))
    }

    @Test func illFormedUTF8Fails() {
        for bytes: [UInt8] in [[0x61, 0xFF, 0x62], Array("abcdefghij".utf8) + [0xC3], [0xE6, 0x9D, 0x61, 0x62]] {
            var dest = [UInt16](repeating: 0, count: bytes.count + 1)
            var status: gi_status = 0
            _ = gi_utf8_to_utf16(bytes, Int32(bytes.count), &dest, Int32(dest.count), &status)
            #expect(gi_status_is_failure(status) != 0, "\(bytes)")
        }
    }

    @Test func charsetDetectionAndStrictConversion() {
        let latin1: [UInt8] = Array("Caf\u{E9} au lait \u{E0} Paris, cr\u{E8}me br\u{FB}l\u{E9}e et \u{E9}l\u{E9}gance".unicodeScalars.map { UInt8($0.value) })
        var name = [CChar](repeating: 0, count: 64)
        var confidence: Int32 = 0
        var status: gi_status = 0
        #expect(gi_detect_charset(latin1, Int32(latin1.count), &name, 64, &confidence, &status) == 1)
        let detected = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(detected == "ISO-8859-1")
        var dest = [UInt16](repeating: 0, count: 128)
        let length = gi_convert_to_utf16("ISO-8859-1", latin1, Int32(latin1.count), &dest, 128, &status)
        #expect(String(decoding: dest[0..<Int(length)], as: UTF16.self).hasPrefix("Café"))
        let invalid: [UInt8] = [0x61, 0xFF, 0x62]
        _ = gi_convert_to_utf16("UTF-8", invalid, 3, &dest, 128, &status)
        #expect(gi_status_is_failure(status) != 0)
    }

    /// The tokens of `units` with the given flags, as (start, end, scalar start, scalar end, normalized).
    static func tokenize(_ breaker: OpaquePointer, _ units: [UInt16], flags: Int32) -> [[Int32]] {
        var tokens = [gi_token](repeating: gi_token(), count: units.count + 8)
        var norm = [UInt16](repeating: 0, count: units.count * 4 + 16)
        var needed: Int32 = 0
        var status: gi_status = 0
        let count = gi_tokenize(breaker, units, Int32(units.count), flags, &tokens, Int32(tokens.count), &norm, Int32(norm.count), &needed, &status)
        #expect(gi_status_is_failure(status) == 0)
        return tokens[0..<Int(count)].map { token in
            [token.start, token.end, token.scalar_start, token.scalar_end, Int32(bitPattern: token.hash)]
                + norm[Int(token.norm_start)..<Int(token.norm_start + token.norm_length)].map(Int32.init)
        }
    }

    @Test func asciiFastPathGivesICUBoundaries() throws {
        // ASCII runs are segmented without ICU: the result must be ICU's, also next to letters,
        // combining marks, spaces and ideographs that are not ASCII.
        var status: gi_status = 0
        let breaker = try #require(gi_breaker_open(GI_BREAK_WORD, "", &status))
        defer { gi_breaker_close(breaker) }
        let alphabet: [UInt16] = Array("aZ1_.,;:'\" @#-( \t\r\n".utf16) + [0x0B, 0x0C, 0xE9, 0x301, 0xA0, 0x3000, 0x6771, 0x200D, 0x2019, 0x200B, 0xAD, 0x5D0, 0x30A2, 0xE01, 0xFE0F]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...40, using: &generator)
            let units = (0..<length).map { _ in
                Int.random(in: 0..<10, using: &generator) < 9 ? alphabet[Int.random(in: 0..<18, using: &generator)] : alphabet.randomElement(using: &generator)!
            }
            let fast = Self.tokenize(breaker, units, flags: 0)
            let icu = Self.tokenize(breaker, units, flags: Int32(GI_TOKENIZE_ICU_ONLY))
            #expect(fast == icu, "\(units.map { String($0, radix: 16) })")
            if fast != icu { return }
        }
        let prose = Array("Don't e.g. user@example.org: 3.14,15 x_1 naïve Zürich—東京都に住む. Paris's \r\n  end".utf16)
        #expect(Self.tokenize(breaker, prose, flags: 0) == Self.tokenize(breaker, prose, flags: Int32(GI_TOKENIZE_ICU_ONLY)))
    }
}
