#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fast path for the interchange lines `extract` writes: a flat JSON object whose values are
/// strings, non-negative integers, (for `spans`) an array of [start, end] integer pairs, or (for
/// `embedding`) an array of numbers.
///
/// Foundation's JSONSerialization boxes every value (NSNumber, NSString, Any) and took more than
/// half of `load`'s client CPU. This scanner reads the bytes once with no boxing. It accepts
/// only what it fully understands and returns nil for anything else (other value types, escapes
/// it does not handle, numbers that are not plain integers, invalid UTF-8), so the caller falls
/// back to the full parser, which also produces the error messages.
struct InterchangeLineScanner {
    /// The fields of one line (absent fields stay nil). The format's keys have slots of their
    /// own, so a line costs no dictionary; other keys' values are read and dropped.
    struct Fields {
        var kind: Kind?
        var source, sha256, title, charset, key, name, type, text: String?
        var bytes, count, index, start, end: Int?
        var spans: [Range<Int>]?
        var embedding: [Double]?

        /// The string field named `name`, if the format has one.
        subscript(string name: String) -> String? {
            switch name {
            case "kind": kind?.rawValue
            case "source": source
            case "sha256": sha256
            case "title": title
            case "charset": charset
            case "key": key
            case "name": self.name
            case "type": type
            case "text": text
            default: nil
            }
        }

        /// Puts `value` in an empty slot; false when the slot is taken (a duplicate key).
        private static func fill<Value>(_ slot: inout Value?, with value: Value) -> Bool {
            guard slot == nil else { return false }
            slot = value
            return true
        }

        /// Stores a string; false when the key already had a value (a duplicate key).
        mutating func set(_ value: String, for field: Key) -> Bool {
            func store(_ slot: inout String?) -> Bool { Self.fill(&slot, with: value) }
            switch field.count {
            case 3 where field == "key": return store(&key)
            case 4 where field == "name": return store(&name)
            case 4 where field == "type": return store(&type)
            case 4 where field == "text": return store(&text)
            case 5 where field == "title": return store(&title)
            case 6 where field == "source": return store(&source)
            case 6 where field == "sha256": return store(&sha256)
            case 7 where field == "charset": return store(&charset)
            default: return !field.isKnown
            }
        }

        /// Stores an integer; false when the key already had a value or expects a string.
        mutating func set(_ value: Int, for field: Key) -> Bool {
            func store(_ slot: inout Int?) -> Bool { Self.fill(&slot, with: value) }
            switch field.count {
            case 3 where field == "end": return store(&end)
            case 5 where field == "bytes": return store(&bytes)
            case 5 where field == "count": return store(&count)
            case 5 where field == "index": return store(&index)
            case 5 where field == "start": return store(&start)
            default: return !field.isKnown
            }
        }
    }

    /// The kinds of line the format has; `kind` is read straight from the bytes, with no String.
    enum Kind: String {
        case document, entity, mention, chunk
    }

    /// A key's bytes inside the line being scanned (valid only during the scan).
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>
        var count: Int { bytes.count }

        static func == (key: Key, literal: StaticString) -> Bool {
            key.bytes.count == literal.utf8CodeUnitCount
                && (key.bytes.count == 0 || memcmp(key.bytes.baseAddress!, literal.utf8Start, key.bytes.count) == 0)
        }

        /// Whether the format gives this key a value of another type.
        var isKnown: Bool {
            self == "kind" || self == "source" || self == "sha256" || self == "title" || self == "charset" || self == "key"
                || self == "name" || self == "type" || self == "bytes" || self == "count" || self == "spans"
                || self == "text" || self == "index" || self == "start" || self == "end" || self == "embedding"
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The fields of `line`, or nil when the line needs the full parser.
    static func scan(_ line: ArraySlice<UInt8>) -> Fields? {
        line.withUnsafeBufferPointer { bytes in
            var scanner = InterchangeLineScanner(bytes)
            return scanner.object()
        }
    }

    private mutating func object() -> Fields? {
        var fields = Fields()
        skipSpaces()
        guard take(UInt8(ascii: "{")) else { return nil }
        skipSpaces()
        if take(UInt8(ascii: "}")) { return atEnd() ? fields : nil }
        while true {
            skipSpaces()
            guard let key = plainKey() else { return nil }
            skipSpaces()
            guard take(UInt8(ascii: ":")) else { return nil }
            skipSpaces()
            guard let next = peek() else { return nil }
            switch next {
            case UInt8(ascii: "\"") where key == "kind":
                guard fields.kind == nil, let kind = kind() else { return nil }
                fields.kind = kind
            case UInt8(ascii: "\""):
                guard let value = string(), fields.set(value, for: key) else { return nil }
            case UInt8(ascii: "0")...UInt8(ascii: "9") where key.isKnown:
                guard let value = integer(), fields.set(value, for: key) else { return nil }
            case UInt8(ascii: "[") where key == "spans" && fields.spans == nil:
                guard let spans = spanList() else { return nil }
                fields.spans = spans
            case UInt8(ascii: "[") where key == "embedding" && fields.embedding == nil:
                guard let embedding = numberList() else { return nil }
                fields.embedding = embedding
            default:
                // Another tool's field (a model name, a score, an object of metadata): read and
                // dropped, so that enriched lines keep the fast path.
                guard !key.isKnown, skipValue(depth: 0) else { return nil }
            }
            skipSpaces()
            if take(UInt8(ascii: ",")) { continue }
            guard take(UInt8(ascii: "}")) else { return nil }
            return atEnd() ? fields : nil
        }
    }

    /// A key (or another string) without escapes, as its bytes (nil sends the line to the full
    /// parser).
    private mutating func plainKey() -> Key? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while let byte = peek(), byte != UInt8(ascii: "\"") {
            guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        guard take(UInt8(ascii: "\"")) else { return nil }
        return Key(bytes: UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]))
    }

    /// The value of `kind`, when it is one of the format's kinds written plainly (anything else
    /// goes to the full parser, which names the problem).
    private mutating func kind() -> Kind? {
        guard let value = plainKey() else { return nil }
        if value == "mention" { return .mention }
        if value == "document" { return .document }
        if value == "entity" { return .entity }
        if value == "chunk" { return .chunk }
        return nil
    }

    /// `[[a, b], [c, d], ...]` with non-negative integers.
    private mutating func spanList() -> [Range<Int>]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var spans: [Range<Int>] = []
        spans.reserveCapacity(4)  // most lines have few spans: one allocation instead of three
        skipSpaces()
        if take(UInt8(ascii: "]")) { return spans }
        while true {
            skipSpaces()
            guard take(UInt8(ascii: "[")) else { return nil }
            skipSpaces()
            guard let start = integer() else { return nil }
            skipSpaces()
            guard take(UInt8(ascii: ",")) else { return nil }
            skipSpaces()
            guard let end = integer() else { return nil }
            skipSpaces()
            guard take(UInt8(ascii: "]")), start <= end else { return nil }
            spans.append(start..<end)
            skipSpaces()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "]")) ? spans : nil
        }
    }

    /// Reads past any JSON value (nested at most 32 deep); false when it is not valid JSON (or
    /// nests deeper): the full parser then says what is wrong.
    private mutating func skipValue(depth: Int) -> Bool {
        guard depth < 32, let next = peek() else { return false }
        switch next {
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return number() != nil
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let isObject = next == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            skipSpaces()
            if take(close) { return true }
            while true {
                skipSpaces()
                if isObject {
                    guard string() != nil else { return false }
                    skipSpaces()
                    guard take(UInt8(ascii: ":")) else { return false }
                    skipSpaces()
                }
                guard skipValue(depth: depth + 1) else { return false }
                skipSpaces()
                if take(UInt8(ascii: ",")) { continue }
                return take(close)
            }
        default:
            return false
        }
    }

    /// Reads `word` (true, false or null).
    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - index >= count, memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else { return false }
        index += count
        return true
    }

    /// `[x, y, ...]`: one or more JSON numbers, each finite as a Double (an empty list, or a
    /// number out of Double's range, goes to the full parser, which says what is wrong).
    private mutating func numberList() -> [Double]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var values: [Double] = []
        while true {
            skipSpaces()
            guard let value = number() else { return nil }
            values.append(value)
            skipSpaces()
            if take(UInt8(ascii: ",")) { continue }
            return take(UInt8(ascii: "]")) ? values : nil
        }
    }

    /// A JSON number (RFC 8259 section 6: `-? int frac? exp?`) as a finite Double. The grammar is
    /// checked here; the conversion is the standard library's, which rounds correctly and does
    /// not depend on the C locale.
    private mutating func number() -> Double? {
        let start = index
        _ = take(UInt8(ascii: "-"))
        guard let first = peek(), first &- UInt8(ascii: "0") < 10 else { return nil }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        if take(UInt8(ascii: ".")) {
            guard skipDigits() > 0 else { return nil }
        }
        if let byte = peek(), byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
            index += 1
            if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { return nil }
        }
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)),
              value.isFinite else { return nil }
        return value
    }

    /// Skips decimal digits; returns how many.
    @discardableResult
    private mutating func skipDigits() -> Int {
        let start = index
        while let byte = peek(), byte &- UInt8(ascii: "0") < 10 { index += 1 }
        return index - start
    }

    /// A non-negative integer without sign, fraction or exponent, that fits in Int.
    private mutating func integer() -> Int? {
        var value = 0
        var digits = 0
        while let byte = peek(), byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            digits += 1
            index += 1
        }
        guard digits > 0, digits == 1 || bytes[index - digits] != UInt8(ascii: "0") else { return nil }
        if let byte = peek(), byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") { return nil }
        return value
    }

    /// A JSON string with the common escapes; nil for \u escapes outside the BMP's plain range
    /// pairs it cannot join, control characters, or invalid UTF-8.
    private mutating func string() -> String? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        // Fast path: no escapes.
        var ascii = true
        while let byte = peek(), byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
            guard byte >= 0x20 else { return nil }
            ascii = ascii && byte < 0x80
            index += 1
        }
        guard let stop = peek() else { return nil }
        if stop == UInt8(ascii: "\"") {
            let content = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            // ASCII is valid UTF-8 as it is; anything else is validated (invalid goes to the
            // full parser). String(validating:) is generic and costs a metadata lookup per call.
            return ascii ? String(decoding: content, as: UTF8.self) : String(validating: content, as: UTF8.self)
        }
        var buffer = Array(bytes[start..<index])
        while let byte = peek() {
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: buffer, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard let escaped = peek() else { return nil }
                index += 1
                switch escaped {
                case UInt8(ascii: "u"):
                    guard let unit = hex4() else { return nil }
                    var scalarValue = UInt32(unit)
                    if (0xD800...0xDBFF).contains(unit) {
                        guard take(UInt8(ascii: "\\")), take(UInt8(ascii: "u")), let low = hex4(), (0xDC00...0xDFFF).contains(low) else { return nil }
                        scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(scalarValue) else { return nil }
                    buffer.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    guard let plain = JSONLine.unescaped(escaped) else { return nil }
                    buffer.append(plain)
                }
            default:
                guard byte >= 0x20 else { return nil }
                buffer.append(byte)
            }
        }
        return nil
    }

    private mutating func hex4() -> UInt16? {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = peek() else { return nil }
            let digit: UInt16
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt16(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt16(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt16(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }

    @inline(__always)
    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipSpaces() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A { index += 1 }
    }

    private mutating func atEnd() -> Bool {
        skipSpaces()
        return index == bytes.count
    }
}
