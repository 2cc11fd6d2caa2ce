/// A PackStream structure: a tag byte and up to 15 fields.
///
/// The decoder turns structures with known tags into their own types; this generic form holds
/// everything else. See https://neo4j.com/docs/bolt/current/packstream/#data-type-structure.
public struct PackStreamStructure: Sendable, Hashable, CustomStringConvertible {
    /// The tag byte that says what the structure is.
    public var tag: UInt8
    /// The fields, at most 15 of them.
    public var fields: [PackStreamValue]

    /// Creates a structure (the encoder rejects more than 15 fields by writing only 15).
    public init(tag: UInt8, fields: [PackStreamValue]) {
        self.tag = tag
        self.fields = fields
    }

    public var description: String {
        "Structure(0x" + String(tag, radix: 16, uppercase: true) + ", " + fields.map(\.description).joined(separator: ", ") + ")"
    }

    /// The largest field count a structure can have (the marker's low nibble).
    public static let maximumFieldCount = 15
}

/// The structure tags of the spec, named as in the spec.
///
/// See https://neo4j.com/docs/bolt/current/bolt/structure-semantics/.
public enum PackStreamTag {
    /// The tag of node (`0x4E`, 'N').
    public static let node: UInt8 = 0x4E  // 'N'
    /// The tag of relationship (`0x52`, 'R').
    public static let relationship: UInt8 = 0x52  // 'R'
    /// The tag of unbound relationship (`0x72`, 'r').
    public static let unboundRelationship: UInt8 = 0x72  // 'r'
    /// The tag of path (`0x50`, 'P').
    public static let path: UInt8 = 0x50  // 'P'
    /// The tag of date (`0x44`, 'D').
    public static let date: UInt8 = 0x44  // 'D'
    /// The tag of time (`0x54`, 'T').
    public static let time: UInt8 = 0x54  // 'T'
    /// The tag of local time (`0x74`, 't').
    public static let localTime: UInt8 = 0x74  // 't'
    /// The tag of date time (`0x49`, 'I' (5.x: UTC seconds)).
    public static let dateTime: UInt8 = 0x49  // 'I' (5.x: UTC seconds)
    /// The tag of date time zone id (`0x69`, 'i' (5.x: UTC seconds)).
    public static let dateTimeZoneId: UInt8 = 0x69  // 'i' (5.x: UTC seconds)
    /// The tag of legacy date time (`0x46`, 'F' (4.4: local seconds)).
    public static let legacyDateTime: UInt8 = 0x46  // 'F' (4.4: local seconds)
    /// The tag of legacy date time zone id (`0x66`, 'f' (4.4: local seconds)).
    public static let legacyDateTimeZoneId: UInt8 = 0x66  // 'f' (4.4: local seconds)
    /// The tag of local date time (`0x64`, 'd').
    public static let localDateTime: UInt8 = 0x64  // 'd'
    /// The tag of duration (`0x45`, 'E').
    public static let duration: UInt8 = 0x45  // 'E'
    /// The tag of point2 d (`0x58`, 'X').
    public static let point2D: UInt8 = 0x58  // 'X'
    /// The tag of point3 d (`0x59`, 'Y').
    public static let point3D: UInt8 = 0x59  // 'Y'
}
