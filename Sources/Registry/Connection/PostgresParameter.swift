import Foundation

/// A Swift value sent as a query parameter in PostgreSQL's text format.
///
/// Parameters always travel separately from the SQL (`PQexecParams`); nothing is spliced into
/// statement text. `nil` is SQL NULL.
package protocol PostgresParameter: Sendable {
    /// The value in PostgreSQL's text input format, or nil for NULL.
    var postgresText: String? { get }
}

/// A parameter that can also be an element of an array parameter.
///
/// Elements write themselves into the array literal as bytes: a batch's columns hold thousands
/// of values, and making a String per element cost more than the query.
package protocol PostgresArrayElement: PostgresParameter {
    /// Appends the value as an element of an array literal: `NULL`, or the text quoted and
    /// escaped as the literal needs.
    func appendArrayElement(to literal: inout [UInt8])
}

extension PostgresArrayElement {
    /// Quotes and escapes `text` as an element of an array literal.
    @inline(__always)
    fileprivate func appendQuoted(_ text: String, to literal: inout [UInt8]) {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        literal.append(quote)
        var text = text
        text.withUTF8 { bytes in
            for byte in bytes {
                if byte == quote || byte == backslash { literal.append(backslash) }
                literal.append(byte)
            }
        }
        literal.append(quote)
    }
}

extension String: PostgresArrayElement {
    package var postgresText: String? { self }
    package func appendArrayElement(to literal: inout [UInt8]) { appendQuoted(self, to: &literal) }
}

extension BinaryInteger where Self: PostgresArrayElement {
    /// Appends the decimal digits (an integer needs no quotes in an array literal).
    @inline(__always)
    fileprivate func appendDigits(to literal: inout [UInt8]) {
        var magnitude = self.magnitude
        if self < 0 { literal.append(UInt8(ascii: "-")) }
        let start = literal.count
        repeat {
            literal.append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude != 0
        literal[start...].reverse()
    }
}

extension Int: PostgresArrayElement {
    package var postgresText: String? { String(self) }
    package func appendArrayElement(to literal: inout [UInt8]) { appendDigits(to: &literal) }
}

extension Int64: PostgresArrayElement {
    package var postgresText: String? { String(self) }
    package func appendArrayElement(to literal: inout [UInt8]) { appendDigits(to: &literal) }
}

extension Int32: PostgresArrayElement {
    package var postgresText: String? { String(self) }
    package func appendArrayElement(to literal: inout [UInt8]) { appendDigits(to: &literal) }
}

extension Bool: PostgresArrayElement {
    package var postgresText: String? { self ? "t" : "f" }
    package func appendArrayElement(to literal: inout [UInt8]) { literal.append(self ? UInt8(ascii: "t") : UInt8(ascii: "f")) }
}

extension Double: PostgresArrayElement {
    package var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return "\(self)"
    }
    package func appendArrayElement(to literal: inout [UInt8]) { appendQuoted(postgresText!, to: &literal) }
}

extension Date: PostgresArrayElement {
    package var postgresText: String? { PostgresTimestamp.format(self) }
    package func appendArrayElement(to literal: inout [UInt8]) { appendQuoted(PostgresTimestamp.format(self), to: &literal) }
}

extension Optional: PostgresParameter where Wrapped: PostgresParameter {
    package var postgresText: String? { self?.postgresText }
}

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    package func appendArrayElement(to literal: inout [UInt8]) {
        if let self { self.appendArrayElement(to: &literal) } else { literal.append(contentsOf: "NULL".utf8) }
    }
}

extension Array: PostgresParameter where Element: PostgresArrayElement {
    /// A one-dimensional array literal (`{"a","b",NULL}`); use with a cast such as `$1::text[]`.
    package var postgresText: String? {
        var literal: [UInt8] = [UInt8(ascii: "{")]
        literal.reserveCapacity(count * 16 + 2)
        for index in indices {
            if index > 0 { literal.append(UInt8(ascii: ",")) }
            self[index].appendArrayElement(to: &literal)
        }
        literal.append(UInt8(ascii: "}"))
        return String(decoding: literal, as: UTF8.self)
    }
}

/// `timestamptz` in and out of PostgreSQL's ISO text format, always in UTC (the connection sets
/// `TimeZone = 'UTC'` and `DateStyle = 'ISO, YMD'`).
package enum PostgresTimestamp {
    /// Formats `date` as `2026-11-27 21:14:54.123456+00`.
    package static func format(_ date: Date) -> String {
        let totalMicros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        var seconds = Int(floor(totalMicros / 1_000_000))
        let micros = Int(totalMicros - Double(seconds) * 1_000_000)
        var moment = tm()
        var time = time_t(seconds)
        gmtime_r(&time, &moment)
        seconds = Int(moment.tm_sec)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(Int(moment.tm_year) + 1900, 4))-\(pad(Int(moment.tm_mon) + 1, 2))-\(pad(Int(moment.tm_mday), 2)) "
            + "\(pad(Int(moment.tm_hour), 2)):\(pad(Int(moment.tm_min), 2)):\(pad(seconds, 2)).\(pad(micros, 6))+00"
    }

    /// Parses the ISO output of a `timestamptz` in UTC (`2026-11-27 21:14:54.5+00`), or nil.
    package static func parse<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Date? where Bytes.Index == Int {
        let b = Array(bytes)
        guard b.count >= 19, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[13] == UInt8(ascii: ":") else {
            return nil
        }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let digit = Int(b[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                value = value * 10 + digit
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return nil }
        var index = 19
        var fraction = 0.0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            var scale = 0.1
            while index < b.count, (48...57).contains(b[index]) {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
        }
        var offsetSeconds = 0
        if index < b.count, b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-") {
            let sign = b[index] == UInt8(ascii: "-") ? -1 : 1
            var parts: [Int] = []
            var current = 0
            var digits = 0
            for byte in b[(index + 1)...] {
                if byte == UInt8(ascii: ":") {
                    parts.append(current); current = 0; digits = 0
                } else if (48...57).contains(byte) {
                    current = current * 10 + Int(byte - 48); digits += 1
                }
            }
            if digits > 0 { parts.append(current) }
            let hours = parts.first ?? 0
            let minutes = parts.count > 1 ? parts[1] : 0
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        var moment = tm()
        moment.tm_year = Int32(year - 1900)
        moment.tm_mon = Int32(month - 1)
        moment.tm_mday = Int32(day)
        moment.tm_hour = Int32(hour)
        moment.tm_min = Int32(minute)
        moment.tm_sec = Int32(second)
        let epoch = timegm(&moment)
        return Date(timeIntervalSince1970: Double(epoch - offsetSeconds) + fraction)
    }
}
