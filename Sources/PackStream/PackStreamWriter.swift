public import NIOCore

/// Writes PackStream values into memory it owns, each in the smallest encoding that holds it.
///
/// Row types write themselves through it (see ``PackStreamEncodable``). Every write is a bounds
/// check and a few stores into raw memory: no reference counting, no exclusivity check, no
/// intermediate value per field, which is what makes a 10,000-row batch cheap. The bytes then go
/// into a `ByteBuffer` in one copy (the Bolt encoder copies them chunk by chunk).
///
/// See https://neo4j.com/docs/bolt/current/packstream/.
public struct PackStreamWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutableRawPointer
    @usableFromInline var capacity: Int
    @usableFromInline var written: Int
    /// Write DateTime and DateTimeZoneId in the 4.4 legacy forms (`F`, `f`: local seconds), for
    /// a 4.4 server that did not accept the `utc` patch.
    public var usesLegacyDateTime = false

    /// Creates an empty writer with room for `capacity` bytes (it grows as needed).
    public init(capacity: Int = 256) {
        self.capacity = Swift.max(capacity, 16)
        self.base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 8)
        self.written = 0
    }

    /// How many bytes were written.
    public var count: Int { written }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far, valid until the next write.
    public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: written)
    }

    /// Forgets what was written, keeping the memory.
    public mutating func removeAll() {
        written = 0
    }

    /// Makes room for `extra` more bytes in one allocation (a hint: writes grow as needed anyway).
    @inlinable
    public mutating func reserveCapacity(_ extra: Int) {
        reserve(extra)
    }

    @inlinable
    mutating func reserve(_ extra: Int) {
        if capacity - written < extra { grow(extra) }
    }

    @usableFromInline
    mutating func grow(_ extra: Int) {
        let newCapacity = Swift.max(capacity * 2, written + extra)
        let newBase = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 8)
        newBase.copyMemory(from: base, byteCount: written)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    @inlinable
    mutating func store<T: FixedWidthInteger>(_ value: T) {
        base.storeBytes(of: value.bigEndian, toByteOffset: written, as: T.self)
        written += MemoryLayout<T>.size
    }

    /// Writes `null` (`C0`).
    @inlinable
    public mutating func writeNull() {
        reserve(1)
        store(PackStreamMarker.null)
    }

    /// Writes `true` (`C3`) or `false` (`C2`).
    @inlinable
    public mutating func writeBoolean(_ value: Bool) {
        reserve(1)
        store(value ? PackStreamMarker.true : PackStreamMarker.false)
    }

    /// Writes an integer in the smallest encoding: TINY_INT (-16...127), then 8, 16, 32, 64 bits.
    @inlinable
    public mutating func writeInteger(_ value: Int64) {
        reserve(9)
        if value >= -16 && value <= 127 {
            store(UInt8(truncatingIfNeeded: value))
        } else if value >= Int64(Int8.min) && value < -16 {
            store(PackStreamMarker.int8)
            store(Int8(truncatingIfNeeded: value))
        } else if value >= Int64(Int16.min) && value <= Int64(Int16.max) {
            store(PackStreamMarker.int16)
            store(Int16(truncatingIfNeeded: value))
        } else if value >= Int64(Int32.min) && value <= Int64(Int32.max) {
            store(PackStreamMarker.int32)
            store(Int32(truncatingIfNeeded: value))
        } else {
            store(PackStreamMarker.int64)
            store(value)
        }
    }

    /// Writes an integer (any width) in the smallest encoding.
    @inlinable
    public mutating func writeInteger(_ value: Int) {
        writeInteger(Int64(value))
    }

    /// Writes a 64-bit float (`C1` and 8 big-endian bytes).
    @inlinable
    public mutating func writeFloat(_ value: Double) {
        reserve(9)
        store(PackStreamMarker.float64)
        store(value.bitPattern)
    }

    /// Writes a string: its UTF-8 length in the smallest size class, then the bytes.
    @inlinable
    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            writeSize(utf8.count, tiny: PackStreamMarker.tinyStringBase, PackStreamMarker.string8,
                      PackStreamMarker.string16, PackStreamMarker.string32, extra: utf8.count)
            writeRaw(UnsafeRawBufferPointer(utf8))
        }
    }

    /// Writes a string known at compile time (a map key of a row type) without going through
    /// `String`.
    @inlinable
    public mutating func writeKey(_ key: StaticString) {
        let length = key.utf8CodeUnitCount
        writeSize(length, tiny: PackStreamMarker.tinyStringBase, PackStreamMarker.string8,
                  PackStreamMarker.string16, PackStreamMarker.string32, extra: length)
        if key.hasPointerRepresentation {
            writeRaw(UnsafeRawBufferPointer(start: key.utf8Start, count: length))
        } else {
            key.withUTF8Buffer { writeRaw(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Writes a byte array (`CC`/`CD`/`CE`: bytes have no tiny form).
    @inlinable
    public mutating func writeBytes(_ value: some Collection<UInt8>) {
        let length = value.count
        reserve(5 + length)
        if length <= Int(UInt8.max) {
            store(PackStreamMarker.bytes8)
            store(UInt8(length))
        } else if length <= Int(UInt16.max) {
            store(PackStreamMarker.bytes16)
            store(UInt16(length))
        } else {
            store(PackStreamMarker.bytes32)
            store(UInt32(truncatingIfNeeded: length))
        }
        for byte in value {
            store(byte)
        }
    }

    /// Writes the header of a list of `count` items; the caller writes the items.
    @inlinable
    public mutating func writeListHeader(count: Int) {
        writeSize(count, tiny: PackStreamMarker.tinyListBase, PackStreamMarker.list8, PackStreamMarker.list16,
                  PackStreamMarker.list32, extra: 0)
    }

    /// Writes the header of a map of `count` entries; the caller writes key, value, key, value...
    @inlinable
    public mutating func writeMapHeader(count: Int) {
        writeSize(count, tiny: PackStreamMarker.tinyMapBase, PackStreamMarker.map8, PackStreamMarker.map16,
                  PackStreamMarker.map32, extra: 0)
    }

    /// Writes a structure header: the marker with the field count (at most 15), and the tag.
    @inlinable
    public mutating func writeStructureHeader(tag: UInt8, fieldCount: Int) {
        precondition(fieldCount >= 0 && fieldCount <= PackStreamStructure.maximumFieldCount, "a structure has at most 15 fields")
        reserve(2)
        store(PackStreamMarker.tinyStructBase | UInt8(fieldCount))
        store(tag)
    }

    /// Writes any value with its markers; structures use the Bolt 5 forms.
    public mutating func write(_ value: PackStreamValue) {
        switch value {
        case .null: writeNull()
        case .boolean(let value): writeBoolean(value)
        case .integer(let value): writeInteger(value)
        case .float(let value): writeFloat(value)
        case .bytes(let value): writeBytes(value)
        case .string(let value): writeString(value)
        case .list(let values):
            writeListHeader(count: values.count)
            for value in values { write(value) }
        case .map(let entries): writeMap(entries)
        case .node(let value): writeStructure(value)
        case .relationship(let value): writeStructure(value)
        case .unboundRelationship(let value): writeStructure(value)
        case .path(let value): writeStructure(value)
        case .date(let value): writeStructure(value)
        case .time(let value): writeStructure(value)
        case .localTime(let value): writeStructure(value)
        case .dateTime(let value) where usesLegacyDateTime:
            writeStructure(tag: PackStreamTag.legacyDateTime, fields: value.legacyFields)
        case .dateTimeZoneId(let value) where usesLegacyDateTime:
            writeStructure(tag: PackStreamTag.legacyDateTimeZoneId, fields: value.legacyFields)
        case .dateTime(let value): writeStructure(value)
        case .dateTimeZoneId(let value): writeStructure(value)
        case .localDateTime(let value): writeStructure(value)
        case .duration(let value): writeStructure(value)
        case .point2D(let value): writeStructure(value)
        case .point3D(let value): writeStructure(value)
        case .structure(let value):
            writeStructure(tag: value.tag, fields: value.fields.prefix(PackStreamStructure.maximumFieldCount))
        }
    }

    private mutating func writeStructure(tag: UInt8, fields: some Collection<PackStreamValue>) {
        writeStructureHeader(tag: tag, fieldCount: fields.count)
        for field in fields { write(field) }
    }

    /// Writes a map of values.
    public mutating func writeMap(_ entries: [String: PackStreamValue]) {
        writeMapHeader(count: entries.count)
        for (key, value) in entries {
            writeString(key)
            write(value)
        }
    }

    /// Writes a structure type: its tag and its fields.
    public mutating func writeStructure(_ value: some PackStreamStructureType) {
        writeStructure(tag: type(of: value).tag, fields: value.fields)
    }

    /// Writes anything encodable (a row, a list of rows, a parameter).
    @inlinable
    public mutating func write(_ value: some PackStreamEncodable) {
        value.encode(to: &self)
    }

    /// Writes a parameter map (the RUN message's second field).
    public mutating func writeParameters(_ parameters: [String: PackStreamParameter]) {
        writeMapHeader(count: parameters.count)
        for (key, value) in parameters {
            writeString(key)
            value.encode(to: &self)
        }
    }

    @inlinable
    mutating func writeRaw(_ source: UnsafeRawBufferPointer) {
        guard let address = source.baseAddress, !source.isEmpty else { return }
        (base + written).copyMemory(from: address, byteCount: source.count)
        written += source.count
    }

    /// The size classes of strings, lists and maps: tiny (in the marker's low nibble), then 8,
    /// 16 and 32-bit sizes; `extra` reserves room for the content as well.
    @inlinable
    mutating func writeSize(_ size: Int, tiny: UInt8, _ marker8: UInt8, _ marker16: UInt8, _ marker32: UInt8, extra: Int) {
        reserve(5 + extra)
        if size < 16 {
            store(tiny | UInt8(truncatingIfNeeded: size))
        } else if size <= Int(UInt8.max) {
            store(marker8)
            store(UInt8(truncatingIfNeeded: size))
        } else if size <= Int(UInt16.max) {
            store(marker16)
            store(UInt16(truncatingIfNeeded: size))
        } else {
            precondition(size <= Int(UInt32.max), "PackStream sizes are at most 2^32 - 1")
            store(marker32)
            store(UInt32(truncatingIfNeeded: size))
        }
    }
}

extension ByteBuffer {
    /// Writes PackStream through a ``PackStreamWriter`` and appends its bytes.
    public mutating func writePackStream(_ body: (inout PackStreamWriter) throws -> Void) rethrows {
        var writer = PackStreamWriter()
        try body(&writer)
        writeBytes(writer.bytes)
    }

    /// Appends one value.
    public mutating func writePackStreamValue(_ value: PackStreamValue) {
        writePackStream { $0.write(value) }
    }
}
