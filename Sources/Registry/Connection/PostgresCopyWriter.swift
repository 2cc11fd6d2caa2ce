import Foundation

/// Builds rows in COPY's text format: tab-separated fields, `\N` for NULL, one row per line,
/// and backslash, tab, newline and carriage return escaped.
///
/// See the PostgreSQL manual, COPY, "Text Format".
package struct PostgresCopyWriter {
    /// The encoded bytes not yet sent.
    package internal(set) var buffer: [UInt8] = []
    private var fieldsInRow = 0

    package init() {
        buffer.reserveCapacity(1 << 18)
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.append(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    /// Appends a text field, escaped.
    package mutating func append(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { bytes in
            for byte in bytes {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "\\"))
                case UInt8(ascii: "\t"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "t"))
                case UInt8(ascii: "\n"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "n"))
                case UInt8(ascii: "\r"): buffer.append(UInt8(ascii: "\\")); buffer.append(UInt8(ascii: "r"))
                default: buffer.append(byte)
                }
            }
        }
    }

    /// Appends an integer field.
    package mutating func append(_ value: Int64) {
        separate()
        appendDigits(value)
    }

    /// Appends a field that needs no escaping (numbers, ISO timestamps, booleans).
    package mutating func append(_ value: some PostgresParameter) {
        guard let text = value.postgresText else {
            appendNull()
            return
        }
        append(text)
    }

    /// Appends SQL NULL.
    package mutating func appendNull() {
        separate()
        buffer.append(UInt8(ascii: "\\"))
        buffer.append(UInt8(ascii: "N"))
    }

    /// Ends the current row.
    package mutating func endRow() {
        buffer.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
    }

    mutating func takeBuffer() -> [UInt8] {
        defer { buffer.removeAll(keepingCapacity: true) }
        return buffer
    }

    private mutating func appendDigits(_ value: Int64) {
        if value == 0 {
            buffer.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { raw in
            while magnitude > 0 {
                raw[count] = UInt8(48 + magnitude % 10)
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) {
                buffer.append(raw[index])
            }
        }
    }
}
