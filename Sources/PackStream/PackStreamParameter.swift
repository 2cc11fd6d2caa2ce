/// One query parameter: a plain value, or anything that encodes itself (typically a batch of
/// rows through ``rows(_:)``).
///
/// Literals work directly: `["name": "Paris", "limit": 10, "rows": .rows(batch)]`.
public enum PackStreamParameter: Sendable, PackStreamEncodable {
    /// A plain value.
    case value(PackStreamValue)
    /// A value that writes itself, such as a ``PackStreamList`` of rows.
    case encodable(any PackStreamEncodable)
    /// A function that writes exactly one value (what ``rows(_:)`` makes).
    case writer(@Sendable (inout PackStreamWriter) -> Void)

    /// A list of rows, each written straight into the message buffer.
    ///
    /// Inlined into the caller so that the loop over the rows is compiled for the concrete row
    /// type: one direct call per row, no generic dispatch.
    @inlinable
    public static func rows<Rows: Collection & Sendable>(_ rows: Rows) -> PackStreamParameter where Rows.Element: PackStreamEncodable {
        .writer { writer in
            let count = rows.count
            writer.reserveCapacity(count * 24)
            writer.writeListHeader(count: count)
            for row in rows { row.encode(to: &writer) }
        }
    }

    public func encode(to writer: inout PackStreamWriter) {
        switch self {
        case .value(let value): writer.write(value)
        case .encodable(let value): value.encode(to: &writer)
        case .writer(let write): write(&writer)
        }
    }
}

extension PackStreamParameter: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .value(.null) }
    public init(booleanLiteral value: Bool) { self = .value(.boolean(value)) }
    public init(integerLiteral value: Int64) { self = .value(.integer(value)) }
    public init(floatLiteral value: Double) { self = .value(.float(value)) }
    public init(stringLiteral value: String) { self = .value(.string(value)) }
    public init(arrayLiteral elements: PackStreamValue...) { self = .value(.list(elements)) }
    public init(dictionaryLiteral elements: (String, PackStreamValue)...) {
        self = .value(.map(Dictionary(elements, uniquingKeysWith: { _, last in last })))
    }
}
