/// Case questions about UTF-16 text, answered without ICU: ASCII first, other scalars through the
/// standard library's Unicode properties. They run per candidate match, never per token.
enum CaseShape {
    /// Whether `units` hold an uppercase or titlecase letter (a letter that lowercasing changes).
    static func hasCapital(_ units: some Collection<UInt16>) -> Bool {
        contains(units, ascii: 0x41...0x5A) { $0.properties.changesWhenLowercased }
    }

    /// Whether `units` hold at most three letters, among them a capital and a lowercase one.
    /// Runs once per capitalized term at gazetteer build: it stops at the fourth letter.
    static func isShortMixedCase(_ units: some Collection<UInt16>) -> Bool {
        var (letters, capital, lowercase) = (0, false, false)
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value < 0x80 {
                    if scalar.value >= 0x41 && scalar.value <= 0x5A { capital = true; letters += 1 }
                    if scalar.value >= 0x61 && scalar.value <= 0x7A { lowercase = true; letters += 1 }
                } else if scalar.properties.isAlphabetic {
                    letters += 1
                    if scalar.properties.changesWhenLowercased { capital = true } else if scalar.properties.changesWhenUppercased { lowercase = true }
                }
                if letters > 3 { return false }
            case .emptyInput: return capital && lowercase
            case .error: continue
            }
        }
    }

    /// Whether `units` hold a lowercase letter (a letter that uppercasing changes and lowercasing
    /// does not).
    static func hasLowercase(_ units: some Collection<UInt16>) -> Bool {
        contains(units, ascii: 0x61...0x7A) { $0.properties.changesWhenUppercased && !$0.properties.changesWhenLowercased }
    }

    /// Whether `units` hold an ASCII scalar in `ascii`, or another scalar that `other` accepts.
    private static func contains(_ units: some Collection<UInt16>, ascii: ClosedRange<UInt32>, _ other: (Unicode.Scalar) -> Bool) -> Bool {
        var iterator = units.makeIterator()
        var decoder = UTF16()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar.value < 0x80 ? ascii.contains(scalar.value) : other(scalar) { return true }
            case .emptyInput: return false
            case .error: continue
            }
        }
    }

    @inline(__always)
    private static func isLineBreak(_ unit: UInt16) -> Bool {
        unit == 0x0A || unit == 0x0D || unit == 0x0B || unit == 0x0C || unit == 0x85 || unit == 0x2028 || unit == 0x2029
    }

    /// Whether the capital letter of the span `start..<end` of `text` tells a name from a common
    /// word: not when the span is written without a lowercase letter ("PORT": emphasis, code, an
    /// all-caps line), and not when it opens a sentence, a line, a heading or a list item (there
    /// every word is capitalized).
    ///
    /// A span opens a sentence when what comes before it on its line, past white space, opening
    /// punctuation and list or heading markers (`#`, `*`, `-`, `>`, `•`, `|`, digits), is nothing or
    /// ends with `.`, `!`, `?`, `…` or their CJK forms (as ICU's sentence rules, a colon ends no
    /// sentence).
    static func capitalIsInformative(_ text: UnsafeBufferPointer<UInt16>, start: Int, end: Int) -> Bool {
        guard hasLowercase(UnsafeBufferPointer(rebasing: text[start..<end])) else { return false }
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
            case 0x2E, 0x21, 0x3F, 0x2026, 0x3002, 0xFF01, 0xFF1F:
                return false
            default:
                return true
            }
        }
        return false
    }
}
