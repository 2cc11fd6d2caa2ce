public import NIOCore

/// The PackStream writers: each appends one value (or one container header) in the smallest
/// encoding that holds it. Row types call them from ``PackStreamEncodable/encode(to:)``.
///
/// See https://neo4j.com/docs/bolt/current/packstream/.
extension ByteBuffer {
    /// Writes `null` (`C0`).
    @inlinable
    public mutating func writePackStreamNull() {
        writeInteger(PackStreamMarker.null)
    }

    /// Writes `true` (`C3`) or `false` (`C2`).
    @inlinable
    public mutating func writePackStreamBoolean(_ value: Bool) {
        writeInteger(value ? PackStreamMarker.true : PackStreamMarker.false)
    }

    /// Writes a 64-bit float (`C1` and 8 big-endian bytes).
    @inlinable
    public mutating func writePackStreamFloat(_ value: Double) {
        writeInteger(PackStreamMarker.float64)
        writeInteger(value.bitPattern, endianness: .big)
    }

    /// Writes a string: its UTF-8 length in the smallest size class, then the bytes.
    @inlinable
    public mutating func writePackStreamString(_ value: String) {
        var value = value
        value.withUTF8 { bytes in
            writePackStreamSize(bytes.count, tiny: PackStreamMarker.tinyStringBase, PackStreamMarker.string8,
                                PackStreamMarker.string16, PackStreamMarker.string32)
            writeBytes(bytes)
        }
    }

    /// Writes a byte array (`CC`/`CD`/`CE`: there is no tiny form for bytes).
    @inlinable
    public mutating func writePackStreamBytes(_ value: some Collection<UInt8>) {
        let count = value.count
        if count <= Int(UInt8.max) {
            writeMultipleIntegers(PackStreamMarker.bytes8, UInt8(count))
        } else if count <= Int(UInt16.max) {
            writeInteger(PackStreamMarker.bytes16)
            writeInteger(UInt16(count), endianness: .big)
        } else {
            writeInteger(PackStreamMarker.bytes32)
            writeInteger(UInt32(truncatingIfNeeded: count), endianness: .big)
        }
        writeBytes(value)
    }

    /// Writes the header of a list of `count` items; the caller writes the items.
    @inlinable
    public mutating func writePackStreamListHeader(count: Int) {
        writePackStreamSize(count, tiny: PackStreamMarker.tinyListBase, PackStreamMarker.list8,
                            PackStreamMarker.list16, PackStreamMarker.list32)
    }

    /// Writes the header of a map of `count` entries; the caller writes key, value, key, value...
    @inlinable
    public mutating func writePackStreamMapHeader(count: Int) {
        writePackStreamSize(count, tiny: PackStreamMarker.tinyMapBase, PackStreamMarker.map8,
                            PackStreamMarker.map16, PackStreamMarker.map32)
    }

    /// Writes the header of a structure: marker with the field count (at most 15) and the tag.
    @inlinable
    public mutating func writePackStreamStructureHeader(tag: UInt8, fieldCount: Int) {
        precondition(fieldCount >= 0 && fieldCount <= PackStreamStructure.maximumFieldCount, "a structure has at most 15 fields")
        writeMultipleIntegers(PackStreamMarker.tinyStructBase | UInt8(fieldCount), tag)
    }

    /// Writes any value with its markers; structures use the Bolt 5 forms.
    public mutating func writePackStreamValue(_ value: PackStreamValue) {
        switch value {
        case .null: writePackStreamNull()
        case .boolean(let value): writePackStreamBoolean(value)
        case .integer(let value): writePackStreamInteger(value)
        case .float(let value): writePackStreamFloat(value)
        case .bytes(let value): writePackStreamBytes(value)
        case .string(let value): writePackStreamString(value)
        case .list(let values):
            writePackStreamListHeader(count: values.count)
            for value in values { writePackStreamValue(value) }
        case .map(let entries):
            writePackStreamMap(entries)
        case .node(let value): writePackStreamStructure(value)
        case .relationship(let value): writePackStreamStructure(value)
        case .unboundRelationship(let value): writePackStreamStructure(value)
        case .path(let value): writePackStreamStructure(value)
        case .date(let value): writePackStreamStructure(value)
        case .time(let value): writePackStreamStructure(value)
        case .localTime(let value): writePackStreamStructure(value)
        case .dateTime(let value): writePackStreamStructure(value)
        case .dateTimeZoneId(let value): writePackStreamStructure(value)
        case .localDateTime(let value): writePackStreamStructure(value)
        case .duration(let value): writePackStreamStructure(value)
        case .point2D(let value): writePackStreamStructure(value)
        case .point3D(let value): writePackStreamStructure(value)
        case .structure(let value):
            let fields = value.fields.prefix(PackStreamStructure.maximumFieldCount)
            writePackStreamStructureHeader(tag: value.tag, fieldCount: fields.count)
            for field in fields { writePackStreamValue(field) }
        }
    }

    /// Writes a map of values.
    public mutating func writePackStreamMap(_ entries: [String: PackStreamValue]) {
        writePackStreamMapHeader(count: entries.count)
        for (key, value) in entries {
            writePackStreamString(key)
            writePackStreamValue(value)
        }
    }

    /// Writes a structure type with its tag and fields.
    public mutating func writePackStreamStructure(_ value: some PackStreamStructureType) {
        let fields = value.fields
        writePackStreamStructureHeader(tag: type(of: value).tag, fieldCount: fields.count)
        for field in fields { writePackStreamValue(field) }
    }

    /// The size classes shared by strings, lists and maps: tiny (in the marker's low nibble), then
    /// 8, 16 and 32-bit big-endian sizes.
    @inlinable
    mutating func writePackStreamSize(_ count: Int, tiny: UInt8, _ marker8: UInt8, _ marker16: UInt8, _ marker32: UInt8) {
        if count < 16 {
            writeInteger(tiny | UInt8(truncatingIfNeeded: count))
        } else if count <= Int(UInt8.max) {
            writeMultipleIntegers(marker8, UInt8(truncatingIfNeeded: count))
        } else if count <= Int(UInt16.max) {
            writeInteger(marker16)
            writeInteger(UInt16(truncatingIfNeeded: count), endianness: .big)
        } else {
            precondition(count <= Int(UInt32.max), "PackStream sizes are at most 2^32 - 1")
            writeInteger(marker32)
            writeInteger(UInt32(truncatingIfNeeded: count), endianness: .big)
        }
    }
}
