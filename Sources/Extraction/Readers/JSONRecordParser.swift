#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the id, text and title of one JSONL record straight from its UTF-8 bytes (RFC 8259),
/// without building a dictionary of every field as Foundation's JSON parser does.
///
/// The whole line must be one JSON object: anything else (a syntax error, trailing bytes, an
/// unpaired surrogate escape, nesting deeper than 512) is a failure, and so is invalid UTF-8.
/// Fields other than the three asked for are checked and skipped, whatever their type. When a
/// name occurs twice the last value counts, as it does for `JSONSerialization`.
struct JSONRecordParser: Sendable {
    /// The fields of one record; nil where the field is absent or not of the kind needed.
    struct Record: Equatable {
        /// The id: a string as it is, a number as `JSONLine.text` writes it.
        var id: String?
        /// The text, when it is a string.
        var text: String?
        /// The title, when it is a string.
        var title: String?
    }

    /// Why a line is not a record.
    enum Failure: Error, Equatable {
        case invalidUTF8
        case notAnObject
        case loneSurrogate

        /// The reason of the rejection.
        var reason: String {
            switch self {
            case .invalidUTF8: "malformed record: invalid UTF-8"
            case .notAnObject: "malformed record: not a JSON object"
            case .loneSurrogate: "malformed record: not a JSON object (unpaired surrogate escape)"
            }
        }
    }

    private let idField: [UInt8]
    private let textField: [UInt8]
    private let titleField: [UInt8]

    /// A parser for records whose id and text are in `idField` and `textField`.
    init(idField: String, textField: String, titleField: String = "title") {
        self.idField = Array(idField.utf8)
        self.textField = Array(textField.utf8)
        self.titleField = Array(titleField.utf8)
    }

    /// The record on `line` (without its line terminator).
    func parse(_ line: UnsafeBufferPointer<UInt8>) -> Result<Record, Failure> {
        guard UTF8Validation.isValid(line) else { return .failure(.invalidUTF8) }
        guard let base = line.baseAddress else { return .failure(.notAnObject) }
        var cursor = Cursor(base: base, count: line.count)
        do throws(Failure) {
            let record = try cursor.object(fields: self)
            cursor.skipWhitespace()
            guard cursor.index == cursor.count else { throw Failure.notAnObject }
            return .success(record)
        } catch {
            return .failure(error)
        }
    }

    /// Which of the wanted fields a name with escapes is.
    fileprivate func wanted(_ name: String) -> (id: Bool, text: Bool, title: Bool) {
        var name = name
        return name.withUTF8 { wanted($0) }
    }

    /// Which of the wanted fields a name is.
    fileprivate func wanted(_ name: UnsafeBufferPointer<UInt8>) -> (id: Bool, text: Bool, title: Bool) {
        func equal(_ field: [UInt8]) -> Bool {
            field.count == name.count && (name.isEmpty || field.withUnsafeBufferPointer { memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 })
        }
        return (equal(idField), equal(textField), equal(titleField))
    }
}

/// A position in a line being parsed; every method leaves it after what it read.
private struct Cursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index = 0

    /// `JSONSerialization`'s nesting limit: deeper lines were rejected before, and still are.
    static let maximumDepth = 512

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    var next: UInt8? { index < count ? base[index] : nil }

    mutating func skipWhitespace() {
        while index < count {
            switch base[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    mutating func expect(_ byte: UInt8) throws(JSONRecordParser.Failure) {
        guard next == byte else { throw .notAnObject }
        index += 1
    }

    /// The top-level object, keeping the wanted fields.
    mutating func object(fields: JSONRecordParser) throws(JSONRecordParser.Failure) -> JSONRecordParser.Record {
        var record = JSONRecordParser.Record()
        skipWhitespace()
        try expect(UInt8(ascii: "{"))
        skipWhitespace()
        if next == UInt8(ascii: "}") {
            index += 1
            return record
        }
        while true {
            let name = try string()
            let wanted = name.escaped ? fields.wanted(decodedString(name)) : fields.wanted(span(name))
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            skipWhitespace()
            if wanted.id || wanted.text || wanted.title {
                if next == UInt8(ascii: "\"") {
                    let value = try string()
                    let text = decodedString(value)
                    if wanted.id { record.id = text }
                    if wanted.text { record.text = text }
                    if wanted.title { record.title = text }
                } else {
                    let start = index
                    try skipValue(depth: 1)
                    if wanted.id { record.id = Self.idText(UnsafeBufferPointer(start: base + start, count: index - start)) }
                    if wanted.text { record.text = nil }
                    if wanted.title { record.title = nil }
                }
            } else {
                try skipValue(depth: 1)
            }
            skipWhitespace()
            guard let byte = next else { throw .notAnObject }
            index += 1
            if byte == UInt8(ascii: "}") { return record }
            guard byte == UInt8(ascii: ",") else { throw .notAnObject }
            skipWhitespace()
        }
    }

    /// A string's contents (between its quotes) and whether it holds escapes, checked: no control
    /// characters, valid escapes, surrogate escapes in pairs.
    mutating func string() throws(JSONRecordParser.Failure) -> (start: Int, end: Int, escaped: Bool) {
        try expect(UInt8(ascii: "\""))
        let start = index
        var escaped = false
        while index < count {
            // Most of a record is the text of one string: skip eight bytes at a time while none
            // of them is a quote, a backslash or a control character.
            while index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if Self.isPlain(word) { index += 8 } else { break }
            }
            guard index < count else { break }
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return (start, index - 1, escaped)
            }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                index += 1
                guard let kind = next else { throw .notAnObject }
                index += 1
                if kind == UInt8(ascii: "u") {
                    let unit = try hex4()
                    if unit >= 0xDC00 && unit <= 0xDFFF { throw .loneSurrogate }
                    if unit >= 0xD800 && unit <= 0xDBFF {
                        guard index + 1 < count, base[index] == UInt8(ascii: "\\"), base[index + 1] == UInt8(ascii: "u") else { throw .loneSurrogate }
                        index += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low <= 0xDFFF else { throw .loneSurrogate }
                    }
                } else if JSONLine.unescaped(kind) == nil {
                    throw .notAnObject
                }
                continue
            }
            guard byte >= 0x20 else { throw .notAnObject }
            index += 1
        }
        throw .notAnObject
    }

    /// Whether none of the eight bytes of `word` is `"`, `\\` or below 0x20 (the classic
    /// "has a zero byte" test, on the word xor each byte sought, and on the word minus 0x20).
    @inline(__always)
    static func isPlain(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
        let quote = hasZero(word ^ (ones &* 0x22))
        let backslash = hasZero(word ^ (ones &* 0x5C))
        let control = (word &- ones &* 0x20) & ~word & highs
        return quote | backslash | control == 0
    }

    mutating func hex4() throws(JSONRecordParser.Failure) -> UInt32 {
        guard index + 4 <= count else { throw .notAnObject }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = base[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw .notAnObject
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    func span(_ string: (start: Int, end: Int, escaped: Bool)) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + string.start, count: string.end - string.start)
    }

    /// The text of a string that `string()` checked, its escapes resolved straight into the
    /// String's storage (the text never grows: an escape is longer than what it stands for).
    func decodedString(_ string: (start: Int, end: Int, escaped: Bool)) -> String {
        let raw = span(string)
        guard string.escaped else { return String(decoding: raw, as: UTF8.self) }
        return String(unsafeUninitializedCapacity: raw.count) { out in
            var written = 0
            var index = 0
            func hex(_ at: Int) -> UInt32 {
                raw[at..<at + 4].reduce(0) { value, byte in
                    value << 4 | UInt32(byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : (byte | 0x20) - UInt8(ascii: "a") + 10)
                }
            }
            func copy(_ range: Range<Int>) {
                guard !range.isEmpty else { return }
                (out.baseAddress! + written).update(from: raw.baseAddress! + range.lowerBound, count: range.count)
                written += range.count
            }
            while index < raw.count {
                guard let found = memchr(raw.baseAddress! + index, Int32(UInt8(ascii: "\\")), raw.count - index) else {
                    copy(index..<raw.count)
                    break
                }
                let backslash = UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - raw.baseAddress!
                copy(index..<backslash)
                let kind = raw[backslash + 1]
                index = backslash + 2
                if kind == UInt8(ascii: "u") {
                    var scalar = hex(index)
                    index += 4
                    if scalar >= 0xD800 && scalar <= 0xDBFF {
                        // string() checked that the low half follows.
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (hex(index + 2) - 0xDC00)
                        index += 6
                    }
                    // Valid by construction: not a surrogate, at most U+10FFFF.
                    for byte in UTF8.encode(Unicode.Scalar(scalar)!)! {
                        out[written] = byte
                        written += 1
                    }
                } else if let plain = JSONLine.unescaped(kind) {
                    out[written] = plain  // string() checked there is no other escape
                    written += 1
                }
            }
            return written
        }
    }

    /// Skips one value of any type, checking it.
    mutating func skipValue(depth: Int) throws(JSONRecordParser.Failure) {
        guard depth <= Self.maximumDepth, let byte = next else { throw .notAnObject }
        switch byte {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = byte == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            skipWhitespace()
            if next == close {
                index += 1
                return
            }
            while true {
                if close == UInt8(ascii: "}") {
                    _ = try string()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    skipWhitespace()
                }
                try skipValue(depth: depth + 1)
                skipWhitespace()
                guard let separator = next else { throw .notAnObject }
                index += 1
                if separator == close { return }
                guard separator == UInt8(ascii: ",") else { throw .notAnObject }
                skipWhitespace()
            }
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONRecordParser.Failure) {
        let length = word.utf8CodeUnitCount
        guard index + length <= count, memcmp(base + index, word.utf8Start, length) == 0 else { throw .notAnObject }
        index += length
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func number() throws(JSONRecordParser.Failure) {
        if next == UInt8(ascii: "-") { index += 1 }
        if next == UInt8(ascii: "0") {
            index += 1
        } else {
            try digits()
        }
        if next == UInt8(ascii: ".") {
            index += 1
            try digits()
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            index += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
    }

    private var atDigit: Bool { next.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } ?? false }

    private mutating func digits() throws(JSONRecordParser.Failure) {
        guard atDigit else { throw .notAnObject }
        while atDigit { index += 1 }
    }

    /// An id that is not a string, as `JSONLine.text` writes it: an integer that fits 64 bits
    /// directly, anything else (a fraction, an exponent, a boolean) through `JSONLine` itself so
    /// that ids stay what they were; null, objects and arrays are no id.
    static func idText(_ literal: UnsafeBufferPointer<UInt8>) -> String? {
        guard let first = literal.first, first != UInt8(ascii: "n"), first != UInt8(ascii: "{"), first != UInt8(ascii: "[") else { return nil }
        let text = String(decoding: literal, as: UTF8.self)
        if let integer = Int64(text), !text.hasPrefix("-0") { return String(integer) }
        let object = try? JSONLine.object(Array(#"{"v":"#.utf8) + literal + [UInt8(ascii: "}")])
        return JSONLine.text(object?["v"])
    }
}
