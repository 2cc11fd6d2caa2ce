internal import CICU

/// Splits text into words with ICU's word break iterator, one call into C per text.
///
/// Opening an ICU break iterator is expensive, so one segmenter is made per worker and reused for
/// every document. It is not Sendable: each thread owns its own.
public final class WordSegmenter {
    /// A word: its range in UTF-16 code units of the text, and ICU's rule status.
    public struct Word: Hashable, Sendable {
        public var utf16Range: Range<Int>
        public var ruleStatus: Int32
    }

    private let breaker: OpaquePointer
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private var rules: [Int32] = []

    /// Opens a word break iterator for `locale` ("" for the root locale, which already has
    /// dictionary segmentation for Chinese, Japanese, Thai, Lao, Khmer and Burmese).
    public init(locale: String = "") throws(ExtractionError) {
        var status: gi_status = 0
        guard let breaker = gi_breaker_open(GI_BREAK_WORD, locale, &status) else {
            throw ExtractionError(.icu, message: "cannot open a word break iterator for locale '\(locale)': \(String(cString: gi_status_name(status)))")
        }
        self.breaker = breaker
    }

    deinit { gi_breaker_close(breaker) }

    /// The words of `units` (UTF-16), leaving out spaces and punctuation.
    public func words(in units: [UInt16]) throws(ExtractionError) -> [Word] {
        var capacity = max(16, units.count / 3)
        while true {
            if starts.count < capacity {
                starts = [Int32](repeating: 0, count: capacity)
                ends = starts
                rules = starts
            }
            var status: gi_status = 0
            let count = Int(gi_breaker_segments(breaker, units, Int32(units.count), 1, &starts, &ends, &rules, Int32(capacity), &status))
            if gi_status_is_failure(status) != 0 {
                throw ExtractionError(.icu, message: "word segmentation failed: \(String(cString: gi_status_name(status)))")
            }
            if count <= capacity {
                return (0..<count).map { Word(utf16Range: Int(starts[$0])..<Int(ends[$0]), ruleStatus: rules[$0]) }
            }
            capacity = count
        }
    }

    /// The words of `text` as strings.
    public func words(in text: String) throws(ExtractionError) -> [String] {
        let units = Array(text.utf16)
        return try words(in: units).map { String(decoding: units[$0.utf16Range], as: UTF16.self) }
    }
}
