/// One PackStream value, as the decoder returns it and as plain parameters are written.
///
/// Structures the spec names (graph, temporal and spatial types) decode into their own Swift
/// types; a structure with an unknown tag, or with a field count that does not match its tag,
/// stays a generic ``PackStreamStructure``.
/// See https://neo4j.com/docs/bolt/current/packstream/.
public enum PackStreamValue: Sendable, Hashable {
    /// `null` (`C0`).
    case null
    /// `true` or `false`.
    case boolean(Bool)
    /// A signed 64-bit integer (any size class on the wire).
    case integer(Int64)
    /// A 64-bit float.
    case float(Double)
    /// A byte array.
    case bytes([UInt8])
    /// A UTF-8 string.
    case string(String)
    /// A list of values.
    case list([PackStreamValue])
    /// A map with string keys.
    case map([String: PackStreamValue])
    /// A node (`N`).
    case node(PackStreamNode)
    /// A relationship (`R`).
    case relationship(PackStreamRelationship)
    /// A relationship inside a path (`r`).
    case unboundRelationship(PackStreamUnboundRelationship)
    /// A path (`P`).
    case path(PackStreamPath)
    /// A date (`D`).
    case date(PackStreamDate)
    /// A time with an offset (`T`).
    case time(PackStreamTime)
    /// A time without a zone (`t`).
    case localTime(PackStreamLocalTime)
    /// An instant with an offset (`I`, or the legacy `F`).
    case dateTime(PackStreamDateTime)
    /// An instant in a named zone (`i`, or the legacy `f`).
    case dateTimeZoneId(PackStreamDateTimeZoneId)
    /// A date and time without a zone (`d`).
    case localDateTime(PackStreamLocalDateTime)
    /// A duration (`E`).
    case duration(PackStreamDuration)
    /// A 2D point (`X`).
    case point2D(PackStreamPoint2D)
    /// A 3D point (`Y`).
    case point3D(PackStreamPoint3D)
    /// A structure this module has no type for (or whose fields do not match its tag).
    case structure(PackStreamStructure)
}

extension PackStreamValue {
    /// The integer, or nil when this is not an integer.
    public var intValue: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    /// The string, or nil when this is not a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The boolean, or nil when this is not a boolean.
    public var boolValue: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    /// The float (or an integer widened to a float), or nil otherwise.
    public var doubleValue: Double? {
        switch self {
        case .float(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    /// The list, or nil when this is not a list.
    public var listValue: [PackStreamValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// The map, or nil when this is not a map.
    public var mapValue: [String: PackStreamValue]? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The map entry for `key` (nil when absent or when this is not a map).
    public subscript(key: String) -> PackStreamValue? {
        mapValue?[key]
    }
}

extension PackStreamValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension PackStreamValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
}

extension PackStreamValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .integer(value) }
}

extension PackStreamValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .float(value) }
}

extension PackStreamValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension PackStreamValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: PackStreamValue...) { self = .list(elements) }
}

extension PackStreamValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, PackStreamValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension PackStreamValue: CustomStringConvertible {
    /// A Cypher-like rendering (strings quoted), for tables and debugging.
    public var description: String {
        switch self {
        case .null: return "null"
        case .boolean(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .float(let value): return String(value)
        case .bytes(let value): return "bytes[\(value.count)]"
        case .string(let value): return "\"" + value + "\""
        case .list(let values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        case .node(let node): return node.description
        case .relationship(let relationship): return relationship.description
        case .unboundRelationship(let relationship): return relationship.description
        case .path(let path): return path.description
        case .date(let value): return value.description
        case .time(let value): return value.description
        case .localTime(let value): return value.description
        case .dateTime(let value): return value.description
        case .dateTimeZoneId(let value): return value.description
        case .localDateTime(let value): return value.description
        case .duration(let value): return value.description
        case .point2D(let value): return value.description
        case .point3D(let value): return value.description
        case .structure(let value): return value.description
        }
    }
}
