import CLibPQ
import Foundation

/// A Swift type decoded from a column in PostgreSQL's text or binary format.
package protocol PostgresDecodable {
    /// Decodes the column's text bytes, or returns nil when they are not a valid value.
    static func decode(text: UnsafeBufferPointer<UInt8>) -> Self?
    /// Decodes the column's binary bytes for a column of type `oid`, or returns nil when the
    /// type is not one this Swift type reads.
    static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Self?
    /// The value for SQL NULL, or nil when the type cannot hold NULL.
    static var nullValue: Self? { get }
}

extension PostgresDecodable {
    package static var nullValue: Self? { nil }

    /// Types whose binary form is their text (text, varchar, name, json, enums as text) decode
    /// it as text; jsonb's binary form is a version byte (1) and the text.
    package static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Self? {
        switch oid {
        case PostgresOID.text, PostgresOID.varchar, PostgresOID.name, PostgresOID.json, PostgresOID.bpchar:
            return decode(text: binary)
        case PostgresOID.jsonb:
            guard binary.first == 1 else { return nil }
            return decode(text: UnsafeBufferPointer(rebasing: binary.dropFirst()))
        default:
            return nil
        }
    }
}

/// The type OIDs the binary decoders know (`pg_type.oid`, fixed in every PostgreSQL).
package enum PostgresOID {
    package static let bool: UInt32 = 16
    package static let name: UInt32 = 19
    package static let int8: UInt32 = 20
    package static let int2: UInt32 = 21
    package static let int4: UInt32 = 23
    package static let text: UInt32 = 25
    package static let json: UInt32 = 114
    package static let float4: UInt32 = 700
    package static let float8: UInt32 = 701
    package static let bpchar: UInt32 = 1042
    package static let varchar: UInt32 = 1043
    package static let timestamp: UInt32 = 1114
    package static let timestamptz: UInt32 = 1184
    package static let jsonb: UInt32 = 3802
}

extension UnsafeBufferPointer<UInt8> {
    /// The bytes as a big-endian unsigned integer (network order, as PostgreSQL sends them).
    fileprivate var bigEndianValue: UInt64 {
        reduce(0) { $0 << 8 | UInt64($1) }
    }
}

extension String: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> String? {
        String(decoding: text, as: UTF8.self)
    }
}

extension Int64: PostgresDecodable {
    package static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Int64? {
        switch (oid, binary.count) {
        case (PostgresOID.int8, 8): Int64(bitPattern: binary.bigEndianValue)
        case (PostgresOID.int4, 4): Int64(Int32(bitPattern: UInt32(binary.bigEndianValue)))
        case (PostgresOID.int2, 2): Int64(Int16(bitPattern: UInt16(binary.bigEndianValue)))
        default: nil
        }
    }

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
    package static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Int? {
        Int64.decode(binary: binary, oid: oid).map { Int($0) }
    }

    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Int? {
        Int64.decode(text: text).map { Int($0) }
    }
}

extension Bool: PostgresDecodable {
    package static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Bool? {
        oid == PostgresOID.bool && binary.count == 1 ? binary[0] != 0 : nil
    }

    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch text.first {
        case UInt8(ascii: "t"): true
        case UInt8(ascii: "f"): false
        default: nil
        }
    }
}

extension Double: PostgresDecodable {
    package static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Double? {
        switch (oid, binary.count) {
        case (PostgresOID.float8, 8): Double(bitPattern: binary.bigEndianValue)
        case (PostgresOID.float4, 4): Double(Float(bitPattern: UInt32(binary.bigEndianValue)))
        default: Int64.decode(binary: binary, oid: oid).map { Double($0) }
        }
    }

    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Double? {
        Double(String(decoding: text, as: UTF8.self))
    }
}

extension Date: PostgresDecodable {
    /// Microseconds since 2000-01-01 00:00:00 UTC, PostgreSQL's epoch.
    package static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Date? {
        guard oid == PostgresOID.timestamptz || oid == PostgresOID.timestamp, binary.count == 8 else { return nil }
        let micros = Int64(bitPattern: binary.bigEndianValue)
        return Date(timeIntervalSince1970: 946_684_800 + Double(micros) / 1_000_000)
    }

    package static func decode(text: UnsafeBufferPointer<UInt8>) -> Date? {
        PostgresTimestamp.parse(text)
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    package static func decode(binary: UnsafeBufferPointer<UInt8>, oid: UInt32) -> Wrapped?? {
        Wrapped.decode(binary: binary, oid: oid).map { .some($0) }
    }

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
        let binary = PQfformat(result, column) == 1
        let oid = UInt32(PQftype(result, column))
        let decoded = pointer.flatMap { raw in
            raw.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                let buffer = UnsafeBufferPointer(start: bytes, count: length)
                return binary ? T.decode(binary: buffer, oid: oid) : T.decode(text: buffer)
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
