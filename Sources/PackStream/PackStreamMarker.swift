/// The marker bytes of PackStream v1, named as in the spec.
///
/// See https://neo4j.com/docs/bolt/current/packstream/ ("Markers").
public enum PackStreamMarker {
    /// The `null` marker (`0xC0`).
    public static let null: UInt8 = 0xC0
    /// The `float64` marker (`0xC1`).
    public static let float64: UInt8 = 0xC1
    /// The `false` marker (`0xC2`).
    public static let `false`: UInt8 = 0xC2
    /// The `true` marker (`0xC3`).
    public static let `true`: UInt8 = 0xC3
    /// The `int8` marker (`0xC8`).
    public static let int8: UInt8 = 0xC8
    /// The `int16` marker (`0xC9`).
    public static let int16: UInt8 = 0xC9
    /// The `int32` marker (`0xCA`).
    public static let int32: UInt8 = 0xCA
    /// The `int64` marker (`0xCB`).
    public static let int64: UInt8 = 0xCB
    /// The `bytes8` marker (`0xCC`).
    public static let bytes8: UInt8 = 0xCC
    /// The `bytes16` marker (`0xCD`).
    public static let bytes16: UInt8 = 0xCD
    /// The `bytes32` marker (`0xCE`).
    public static let bytes32: UInt8 = 0xCE
    /// The `tinyStringBase` marker (`0x80`).
    public static let tinyStringBase: UInt8 = 0x80
    /// The `string8` marker (`0xD0`).
    public static let string8: UInt8 = 0xD0
    /// The `string16` marker (`0xD1`).
    public static let string16: UInt8 = 0xD1
    /// The `string32` marker (`0xD2`).
    public static let string32: UInt8 = 0xD2
    /// The `tinyListBase` marker (`0x90`).
    public static let tinyListBase: UInt8 = 0x90
    /// The `list8` marker (`0xD4`).
    public static let list8: UInt8 = 0xD4
    /// The `list16` marker (`0xD5`).
    public static let list16: UInt8 = 0xD5
    /// The `list32` marker (`0xD6`).
    public static let list32: UInt8 = 0xD6
    /// The `tinyMapBase` marker (`0xA0`).
    public static let tinyMapBase: UInt8 = 0xA0
    /// The `map8` marker (`0xD8`).
    public static let map8: UInt8 = 0xD8
    /// The `map16` marker (`0xD9`).
    public static let map16: UInt8 = 0xD9
    /// The `map32` marker (`0xDA`).
    public static let map32: UInt8 = 0xDA
    /// The `tinyStructBase` marker (`0xB0`).
    public static let tinyStructBase: UInt8 = 0xB0

    /// The range of integers that fit in the marker byte itself (TINY_INT).
    public static let tinyIntRange: ClosedRange<Int64> = -16...127
}
