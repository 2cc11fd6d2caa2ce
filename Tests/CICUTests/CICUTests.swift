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
}
