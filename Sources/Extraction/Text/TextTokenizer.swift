internal import CICU

/// Splits a whole text into normalized tokens with ICU, one call into C per text.
///
/// The word break iterator finds the tokens (dictionary segmentation for Chinese, Japanese, Thai
/// and the other scripts ICU covers); each token is then normalized with NFKC_Casefold (ICU's
/// quick check first, so already-normal text is copied), optionally with diacritics folded.
/// White space is dropped; punctuation and symbols are tokens of their own. Every token keeps its
/// span in the original text, in UTF-16 code units and in Unicode scalars.
///
/// Opening an ICU break iterator is expensive: make one tokenizer per worker and reuse it. It is
/// not Sendable; each thread owns its own.
public final class TextTokenizer {
    /// One token: where it stands in the text and its normalized form.
    public struct Token: Hashable, Sendable {
        /// The span in UTF-16 code units of the text.
        public var utf16Range: Range<Int>
        /// The span in Unicode scalars (code points) of the text: the interchange format's unit.
        public var scalarRange: Range<Int>
        /// The normalized form (NFKC_Casefold, plus diacritic folding when enabled).
        public var normalized: String
    }

    /// The normalization applied to each token.
    public enum Form: Sendable, Hashable {
        /// NFKC and full case folding (the default for matching).
        case folded
        /// NFKC and full case folding, then combining accents removed and ł ø đ ħ ı made plain.
        case foldedWithoutDiacritics
        /// NFKC only: what `case exact` gazetteer entries compare.
        case compatibility

        var flags: Int32 {
            switch self {
            case .folded: 0
            case .foldedWithoutDiacritics: Int32(GI_TOKENIZE_FOLD_DIACRITICS)
            case .compatibility: Int32(GI_TOKENIZE_NFKC_ONLY)
            }
        }
    }

    /// The normalization this tokenizer applies.
    public let form: Form
    private let breaker: OpaquePointer
    /// The raw output of the last `run`: tokens and their normalized UTF-16, reused across texts.
    private(set) var rawTokens: [gi_token] = []
    private(set) var normalized: [UInt16] = []
    private(set) var count = 0

    /// Opens a tokenizer.
    /// - Parameters:
    ///   - form: the normalization of each token.
    ///   - locale: the break iterator's locale ("" for the root locale, which already segments
    ///     Chinese, Japanese, Thai, Lao, Khmer and Burmese with dictionaries).
    /// - Throws: `ExtractionError` with code `.icu` when ICU cannot open the iterator.
    public init(form: Form = .folded, locale: String = "") throws(ExtractionError) {
        var status: gi_status = 0
        guard let breaker = gi_breaker_open(GI_BREAK_WORD, locale, &status) else {
            throw ExtractionError(.icu, message: "cannot open a word break iterator for locale '\(locale)': \(String(cString: gi_status_name(status)))")
        }
        self.breaker = breaker
        self.form = form
    }

    deinit { gi_breaker_close(breaker) }

    /// Tokenizes `units` into the reusable buffers; returns the token count.
    @discardableResult
    func run(_ units: UnsafeBufferPointer<UInt16>) throws(ExtractionError) -> Int {
        var tokenCapacity = max(64, units.count / 3 + 64)
        var normCapacity = units.count + units.count / 4 + 64
        while true {
            if rawTokens.count < tokenCapacity {
                rawTokens = [gi_token](repeating: gi_token(), count: tokenCapacity)
            }
            if normalized.count < normCapacity {
                normalized = [UInt16](repeating: 0, count: normCapacity)
            }
            var status: gi_status = 0
            var normNeeded: Int32 = 0
            let tokenCapacityNow = Int32(rawTokens.count)
            let normCapacityNow = Int32(normalized.count)
            let found = rawTokens.withUnsafeMutableBufferPointer { tokens in
                normalized.withUnsafeMutableBufferPointer { norm in
                    gi_tokenize(breaker, units.baseAddress, Int32(units.count), form.flags, tokens.baseAddress, tokenCapacityNow, norm.baseAddress, normCapacityNow, &normNeeded, &status)
                }
            }
            if gi_status_is_failure(status) != 0 {
                throw ExtractionError(.icu, message: "tokenizing failed: \(String(cString: gi_status_name(status)))")
            }
            if found <= tokenCapacityNow && normNeeded <= normCapacityNow {
                count = Int(found)
                return count
            }
            tokenCapacity = max(tokenCapacity, Int(found))
            normCapacity = max(normCapacity, Int(normNeeded))
        }
    }

    /// Tokenizes `units` like `run`, but looks each normalized token up in `table` instead of
    /// writing it out (see `gi_tokenize_lookup`). Writes at most `tokens.count` tokens; returns
    /// the number found, which may be more (then the caller retries with more room).
    func lookUp(_ units: UnsafeBufferPointer<UInt16>, in table: UnsafePointer<gi_token_table>, into tokens: UnsafeMutableBufferPointer<gi_found_token>) throws(ExtractionError) -> Int {
        var status: gi_status = 0
        let found = gi_tokenize_lookup(breaker, units.baseAddress, Int32(units.count), form.flags, table, tokens.baseAddress, Int32(tokens.count), &status)
        if gi_status_is_failure(status) != 0 {
            throw ExtractionError(.icu, message: "tokenizing failed: \(String(cString: gi_status_name(status)))")
        }
        return Int(found)
    }

    /// The normalized UTF-16 of raw token `index` after `run`.
    func withNormalized<R>(_ index: Int, _ body: (UnsafeBufferPointer<UInt16>) -> R) -> R {
        let token = rawTokens[index]
        return normalized.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[Int(token.norm_start)..<Int(token.norm_start + token.norm_length)]))
        }
    }

    /// Calls `body` with the raw tokens and normalized units of the last `run`.
    func withBuffers<R>(_ body: (UnsafeBufferPointer<gi_token>, UnsafeBufferPointer<UInt16>) throws(ExtractionError) -> R) throws(ExtractionError) -> R {
        try rawTokens.withUnsafeBufferPointer { tokens throws(ExtractionError) in
            try normalized.withUnsafeBufferPointer { norm throws(ExtractionError) in
                try body(UnsafeBufferPointer(rebasing: tokens[0..<count]), norm)
            }
        }
    }

    /// The tokens of UTF-16 text.
    public func tokens(in units: [UInt16]) throws(ExtractionError) -> [Token] {
        let found = try units.withUnsafeBufferPointer { buffer throws(ExtractionError) in try run(buffer) }
        return (0..<found).map { index in
            let raw = rawTokens[index]
            let start = Int(raw.norm_start)
            return Token(
                utf16Range: Int(raw.start)..<Int(raw.end),
                scalarRange: Int(raw.scalar_start)..<Int(raw.scalar_end),
                normalized: String(decoding: normalized[start..<start + Int(raw.norm_length)], as: UTF16.self)
            )
        }
    }

    /// The tokens of `text`.
    public func tokens(in text: String) throws(ExtractionError) -> [Token] {
        try tokens(in: Array(text.utf16))
    }

    /// The normalized form of `text`: its normalized tokens joined by single spaces. This is the
    /// same function that gazetteer terms and document text go through, so two strings match
    /// exactly when their normalized forms are equal.
    public func normalize(_ text: String) throws(ExtractionError) -> String {
        try tokens(in: text).map(\.normalized).joined(separator: " ")
    }
}
