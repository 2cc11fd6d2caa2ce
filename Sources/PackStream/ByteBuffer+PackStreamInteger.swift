public import NIOCore

extension ByteBuffer {
    /// Writes an integer in the smallest PackStream encoding that holds it.
    @inlinable
    public mutating func writePackStreamInteger(_ value: Int64) {
        switch value {
        case PackStreamMarker.tinyIntRange:
            self.writeInteger(UInt8(bitPattern: Int8(truncatingIfNeeded: value)))
        case Int64(Int8.min)..<(-16):
            self.writeInteger(PackStreamMarker.int8)
            self.writeInteger(Int8(truncatingIfNeeded: value))
        case Int64(Int16.min)...Int64(Int16.max):
            self.writeInteger(PackStreamMarker.int16)
            self.writeInteger(Int16(truncatingIfNeeded: value), endianness: .big)
        case Int64(Int32.min)...Int64(Int32.max):
            self.writeInteger(PackStreamMarker.int32)
            self.writeInteger(Int32(truncatingIfNeeded: value), endianness: .big)
        default:
            self.writeInteger(PackStreamMarker.int64)
            self.writeInteger(value, endianness: .big)
        }
    }
}
