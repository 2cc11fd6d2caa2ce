public import NIOCore

/// A type that writes itself as one PackStream value straight into a buffer.
///
/// Conform row types to it so a batch of rows is encoded field by field with no intermediate
/// ``PackStreamValue`` per field:
/// ```swift
/// struct Mention: PackStreamEncodable {
///     var document: Int64, entity: Int64, count: Int64
///     func encode(to buffer: inout ByteBuffer) {
///         buffer.writePackStreamMapHeader(count: 3)
///         buffer.writePackStreamString("document"); buffer.writePackStreamInteger(document)
///         buffer.writePackStreamString("entity"); buffer.writePackStreamInteger(entity)
///         buffer.writePackStreamString("count"); buffer.writePackStreamInteger(count)
///     }
/// }
/// ```
public protocol PackStreamEncodable: Sendable {
    /// Appends exactly one PackStream value (which may be a list, map or structure).
    func encode(to buffer: inout ByteBuffer)
}

extension PackStreamValue: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) { buffer.writePackStreamValue(self) }
}

extension Bool: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) { buffer.writePackStreamBoolean(self) }
}

extension Int: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) { buffer.writePackStreamInteger(Int64(self)) }
}

extension Int64: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) { buffer.writePackStreamInteger(self) }
}

extension Int32: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) { buffer.writePackStreamInteger(Int64(self)) }
}

extension Double: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) { buffer.writePackStreamFloat(self) }
}

extension String: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) { buffer.writePackStreamString(self) }
}

extension Optional: PackStreamEncodable where Wrapped: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) {
        switch self {
        case .none: buffer.writePackStreamNull()
        case .some(let value): value.encode(to: &buffer)
        }
    }
}

extension Array: PackStreamEncodable where Element: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writePackStreamListHeader(count: count)
        for element in self { element.encode(to: &buffer) }
    }
}

extension Dictionary: PackStreamEncodable where Key == String, Value: PackStreamEncodable {
    @inlinable
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writePackStreamMapHeader(count: count)
        for (key, value) in self {
            buffer.writePackStreamString(key)
            value.encode(to: &buffer)
        }
    }
}

/// A list of rows that encodes each row in place (the `rows` of `UNWIND $rows AS row`).
public struct PackStreamList<Rows: Collection & Sendable>: PackStreamEncodable where Rows.Element: PackStreamEncodable {
    /// The rows, encoded in order.
    public var rows: Rows

    /// Wraps a collection of rows.
    public init(_ rows: Rows) { self.rows = rows }

    @inlinable
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writePackStreamListHeader(count: rows.count)
        for row in rows { row.encode(to: &buffer) }
    }
}
