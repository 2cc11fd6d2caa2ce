/// Case questions about UTF-16 text, answered without ICU: ASCII first, other scalars through the
/// standard library's Unicode properties. They run per candidate match, never per token.
enum CaseShape {
    /// Whether `units` hold an uppercase or titlecase letter (a letter that lowercasing changes).
    static func hasCapital(_ units: some Collection<UInt16>) -> Bool {
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value < 0x80 {
                    if scalar.value >= 0x41 && scalar.value <= 0x5A { return true }
                } else if scalar.properties.changesWhenLowercased {
                    return true
                }
            case .emptyInput: return false
            case .error: continue
            }
        }
    }

    /// Whether `unit` (a scalar's first unit) is a lowercase letter, ASCII or not.
    @inline(__always)
    private static func isLowercase(_ units: UnsafeBufferPointer<UInt16>, at index: Int) -> Bool {
        let unit = units[index]
        if unit < 0x80 { return unit >= 0x61 && unit <= 0x7A }
        if UTF16.isLeadSurrogate(unit) {
            guard index + 1 < units.count, UTF16.isTrailSurrogate(units[index + 1]) else { return false }
            let value = 0x10000 + (UInt32(unit) - 0xD800) << 10 + (UInt32(units[index + 1]) - 0xDC00)
            return Unicode.Scalar(value).map { $0.properties.changesWhenUppercased && !$0.properties.changesWhenLowercased } ?? false
        }
        if UTF16.isTrailSurrogate(unit) { return false }
        guard let scalar = Unicode.Scalar(unit) else { return false }
        return scalar.properties.changesWhenUppercased && !scalar.properties.changesWhenLowercased
    }

    @inline(__always)
    private static func isLineBreak(_ unit: UInt16) -> Bool {
        unit == 0x0A || unit == 0x0D || unit == 0x0B || unit == 0x0C || unit == 0x85 || unit == 0x2028 || unit == 0x2029
    }

    /// Whether the capital letter of the span `start..<end` of `text` tells a name from a common
    /// word: not when the span opens a sentence, a line, a heading or a list item (there every word
    /// is capitalized), nor when its line holds no lowercase letter (an all-caps line).
    ///
    /// A span opens a sentence when what comes before it on its line, past white space, opening
    /// punctuation and list or heading markers (`#`, `*`, `-`, `>`, `•`, digits), is nothing or
    /// ends with `.`, `!`, `?`, `:` or their CJK forms.
    static func capitalIsInformative(_ text: UnsafeBufferPointer<UInt16>, start: Int, end: Int) -> Bool {
        var index = start - 1
        while index >= 0 {
            let unit = text[index]
            if isLineBreak(unit) { return false }
            switch unit {
            case 0x20, 0x09, 0xA0, 0x3000, // white space
                 0x28, 0x5B, 0x7B, 0x22, 0x27, 0x60, 0xAB, 0x2018, 0x201C, 0x201E, 0x300C, 0x300E, // opening
                 0x23, 0x2A, 0x2D, 0x3E, 0x2022, 0x2013, 0x2014, 0x7C, // markers, table bars
                 0x30...0x39: // list numbers
                index -= 1
                continue
            case 0x2E, 0x21, 0x3F, 0x3A, 0x2026, 0x3002, 0xFF01, 0xFF1F, 0xFF1A:
                return false
            default:
                break
            }
            break
        }
        if index < 0 { return false }
        // An all-caps line: look for a lowercase letter on either side of the span.
        var before = start - 1
        while before >= 0 && !isLineBreak(text[before]) {
            if isLowercase(text, at: before) { return true }
            before -= 1
        }
        var after = end
        while after < text.count && !isLineBreak(text[after]) {
            if isLowercase(text, at: after) { return true }
            after += 1
        }
        return false
    }
}
