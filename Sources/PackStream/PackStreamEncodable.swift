/// A type that writes itself as one PackStream value.
///
/// Conform row types to it so a batch of rows is encoded field by field with no intermediate
/// ``PackStreamValue`` per field:
/// ```swift
/// struct Mention: PackStreamEncodable {
///     var document: Int64, entity: Int64, count: Int64
///     func encode(to writer: inout PackStreamWriter) {
///         writer.writeMapHeader(count: 3)
///         writer.writeKey("document"); writer.writeInteger(document)
///         writer.writeKey("entity"); writer.writeInteger(entity)
///         writer.writeKey("count"); writer.writeInteger(count)
///     }
/// }
/// ```
public protocol PackStreamEncodable: Sendable {
    /// Writes exactly one PackStream value (which may be a list, map or structure).
    func encode(to writer: inout PackStreamWriter)
}

extension PackStreamValue: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) { writer.write(self) }
}

extension Bool: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) { writer.writeBoolean(self) }
}

extension Int: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) { writer.writeInteger(Int64(self)) }
}

extension Int64: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) { writer.writeInteger(self) }
}

extension Int32: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) { writer.writeInteger(Int64(self)) }
}

extension Double: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) { writer.writeFloat(self) }
}

extension String: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) { writer.writeString(self) }
}

extension Optional: PackStreamEncodable where Wrapped: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) {
        switch self {
        case .none: writer.writeNull()
        case .some(let value): value.encode(to: &writer)
        }
    }
}

extension Array: PackStreamEncodable where Element: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeListHeader(count: count)
        for element in self { element.encode(to: &writer) }
    }
}

extension Dictionary: PackStreamEncodable where Key == String, Value: PackStreamEncodable {
    @inlinable
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: count)
        for (key, value) in self {
            writer.writeString(key)
            value.encode(to: &writer)
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
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeListHeader(count: rows.count)
        for row in rows { row.encode(to: &writer) }
    }
}
