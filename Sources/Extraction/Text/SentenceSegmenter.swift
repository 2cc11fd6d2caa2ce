internal import CICU

/// Splits text into sentences with ICU's sentence break iterator (UBRK_SENTENCE), one call into
/// C per text. For later stages (context windows around mentions); extraction does not need it.
///
/// Opening an ICU break iterator is expensive: make one per worker and reuse it. Not Sendable.
public final class SentenceSegmenter {
    private let breaker: OpaquePointer
    private var starts: [Int32] = []
    private var ends: [Int32] = []
    private var rules: [Int32] = []

    /// Opens a sentence break iterator for `locale` ("" for the root locale).
    /// - Throws: `ExtractionError` with code `.icu` when ICU cannot open the iterator.
    public init(locale: String = "") throws(ExtractionError) {
        var status: gi_status = 0
        guard let breaker = gi_breaker_open(GI_BREAK_SENTENCE, locale, &status) else {
            throw ExtractionError(.icu, message: "cannot open a sentence break iterator for locale '\(locale)': \(String(cString: gi_status_name(status)))")
        }
        self.breaker = breaker
    }

    deinit { gi_breaker_close(breaker) }

    /// The sentences of `text` as [start, end) in Unicode scalars (the interchange format's unit),
    /// trailing white space included, covering the whole text.
    /// - Throws: `ExtractionError` with code `.icu` when ICU fails.
    public func sentences(in text: String) throws(ExtractionError) -> [Range<Int>] {
        let units = Array(text.utf16)
        var capacity = max(16, units.count / 40)
        while true {
            if starts.count < capacity {
                starts = [Int32](repeating: 0, count: capacity)
                ends = starts
                rules = starts
            }
            var status: gi_status = 0
            let count = Int(gi_breaker_segments(breaker, units, Int32(units.count), 0, &starts, &ends, &rules, Int32(starts.count), &status))
            if gi_status_is_failure(status) != 0 {
                throw ExtractionError(.icu, message: "sentence segmentation failed: \(String(cString: gi_status_name(status)))")
            }
            if count > starts.count {
                capacity = count
                continue
            }
            // UTF-16 offsets to scalar offsets in one pass (segments are in order).
            var ranges: [Range<Int>] = []
            ranges.reserveCapacity(count)
            var unit = 0
            var scalar = 0
            func advance(to target: Int) -> Int {
                while unit < target {
                    if !UTF16.isTrailSurrogate(units[unit]) { scalar += 1 }
                    unit += 1
                }
                return scalar
            }
            for index in 0..<count {
                let start = advance(to: Int(starts[index]))
                ranges.append(start..<advance(to: Int(ends[index])))
            }
            return ranges
        }
    }
}
