import CLibPQ
import Foundation

/// A Swift type decoded from a column in PostgreSQL's text format.
package protocol PostgresDecodable {
    /// Decodes the column's text bytes, or returns nil when they are not a valid value.
    static func decode(text: UnsafeBufferPointer<UInt8>) -> Self?
    /// The value for SQL NULL, or nil when the type cannot hold NULL.
    static var nullValue: Self? { get }
}

extension PostgresDecodable {
    package static var nullValue: Self? { nil }
}

extension String: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> String? {
        String(decoding: text, as: UTF8.self)
    }
}

extension Int64: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !text.isEmpty else { return nil }
        var index = 0
        var negative = false
        if text[0] == UInt8(ascii: "-") { negative = true; index = 1 }
        guard index < text.count else { return nil }
        var value: Int64 = 0
        while index < text.count {
            let digit = Int64(text[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }
}

extension Int: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Int? {
        Int64.decode(text: text).map { Int($0) }
    }
}

extension Bool: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch text.first {
        case UInt8(ascii: "t"): true
        case UInt8(ascii: "f"): false
        default: nil
        }
    }
}

extension Double: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: text, as: UTF8.self))
    }
}

extension Date: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Date? {
        PostgresTimestamp.parse(text)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Wrapped?? {
        Wrapped.decode(text: text).map { .some($0) }
    }

    package static var nullValue: Wrapped?? { .some(nil) }
}

/// One row of a result, read in place from libpq's `PGresult` while the query runs.
///
/// Only valid inside the decode closure of `PostgresConnection.query`; it does not escape.
package struct PostgresRow {
    let result: OpaquePointer
    /// The row's index in the result.
    package let index: Int32
    let operation: String

    /// Decodes column `column` (0-based) as `T`; an optional `T` accepts NULL.
    ///
    /// - Throws: `RegistryError` `decodingFailed` for NULL into a non-optional type or bad text.
    package func decode<T: PostgresDecodable>(_ column: Int32, as type: T.Type = T.self) throws -> T {
        if PQgetisnull(result, index, column) == 1 {
            guard let value = T.nullValue else {
                throw RegistryError(.decodingFailed, operation: operation, message: "column \(columnName(column)) is NULL, expected \(T.self)")
            }
            return value
        }
        let length = Int(PQgetlength(result, index, column))
        let pointer = PQgetvalue(result, index, column)
        let decoded = pointer.flatMap { raw in
            raw.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                T.decode(text: UnsafeBufferPointer(start: bytes, count: length))
            }
        }
        guard let decoded else {
            throw RegistryError(.decodingFailed, operation: operation, message: "column \(columnName(column)) is not a valid \(T.self)")
        }
        return decoded
    }

    private func columnName(_ column: Int32) -> String {
        PQfname(result, column).map { String(cString: $0) } ?? "#\(column)"
    }
}
