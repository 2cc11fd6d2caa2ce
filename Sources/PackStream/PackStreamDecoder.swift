public import NIOCore

/// Reads PackStream values from a buffer without trusting it: every size is checked against the
/// bytes left, nesting is limited, strings are validated as UTF-8, and every failure is a
/// ``PackStreamError`` naming the offset.
public struct PackStreamDecoder: Sendable {
    /// How deep lists, maps and structures may nest.
    public var maximumDepth: Int

    /// Creates a decoder with a nesting limit (64 by default, well above any real record).
    public init(maximumDepth: Int = 64) {
        self.maximumDepth = maximumDepth
    }

    /// Decodes one value from the buffer's readable bytes and moves its reader index past it.
    ///
    /// - Parameter origin: the reader index that offsets in errors count from (defaults to the
    ///   buffer's reader index).
    /// - Throws: ``PackStreamError``; the reader index is then unspecified.
    public func decode(from buffer: inout ByteBuffer, origin: Int? = nil) throws(PackStreamError) -> PackStreamValue {
        var reader = Reader(origin: origin ?? buffer.readerIndex, maximumDepth: maximumDepth)
        return try reader.value(from: &buffer, depth: 0)
    }

    /// Decodes exactly one value that must fill the whole buffer.
    public func decodeAll(_ buffer: ByteBuffer) throws(PackStreamError) -> PackStreamValue {
        var buffer = buffer
        let origin = buffer.readerIndex
        let value = try decode(from: &buffer, origin: origin)
        guard buffer.readableBytes == 0 else {
            throw PackStreamError(code: .trailingBytes, offset: buffer.readerIndex - origin, detail: "\(buffer.readableBytes) bytes")
        }
        return value
    }

    /// Decodes a structure's header: returns its tag and field count (for callers such as the
    /// Bolt message decoder that read the fields themselves).
    public func decodeStructureHeader(from buffer: inout ByteBuffer, origin: Int? = nil) throws(PackStreamError) -> (tag: UInt8, fieldCount: Int) {
        let origin = origin ?? buffer.readerIndex
        guard let marker = buffer.readInteger(as: UInt8.self) else {
            throw PackStreamError(code: .truncated, offset: buffer.readerIndex - origin, detail: "expected a structure")
        }
        guard marker & 0xF0 == PackStreamMarker.tinyStructBase else {
            throw PackStreamError(code: .unknownMarker, offset: buffer.readerIndex - 1 - origin, detail: "expected a structure, found " + hex(marker))
        }
        guard let tag = buffer.readInteger(as: UInt8.self) else {
            throw PackStreamError(code: .truncated, offset: buffer.readerIndex - origin, detail: "structure tag")
        }
        return (tag, Int(marker & 0x0F))
    }

    struct Reader {
        let origin: Int
        let maximumDepth: Int

        func error(_ code: PackStreamError.Code, at index: Int, _ detail: String = "") -> PackStreamError {
            PackStreamError(code: code, offset: index - origin, detail: detail)
        }

        func need(_ count: Int, in buffer: ByteBuffer, for what: String) throws(PackStreamError) {
            guard buffer.readableBytes >= count else {
                throw error(.truncated, at: buffer.readerIndex, "\(what) needs \(count) bytes, \(buffer.readableBytes) left")
            }
        }

        mutating func value(from buffer: inout ByteBuffer, depth: Int) throws(PackStreamError) -> PackStreamValue {
            let start = buffer.readerIndex
            guard let marker = buffer.readInteger(as: UInt8.self) else {
                throw error(.truncated, at: start, "expected a value")
            }
            switch marker {
            case 0x00...0x7F:
                return .integer(Int64(marker))
            case 0xF0...0xFF:
                return .integer(Int64(Int8(bitPattern: marker)))
            case 0x80...0x8F:
                return .string(try string(from: &buffer, count: Int(marker & 0x0F)))
            case 0x90...0x9F:
                return .list(try list(from: &buffer, count: Int(marker & 0x0F), depth: depth, at: start))
            case 0xA0...0xAF:
                return .map(try map(from: &buffer, count: Int(marker & 0x0F), depth: depth, at: start))
            case 0xB0...0xBF:
                return try structure(from: &buffer, fieldCount: Int(marker & 0x0F), depth: depth, at: start)
            case PackStreamMarker.null:
                return .null
            case PackStreamMarker.false:
                return .boolean(false)
            case PackStreamMarker.true:
                return .boolean(true)
            case PackStreamMarker.float64:
                try need(8, in: buffer, for: "float64")
                return .float(Double(bitPattern: buffer.readInteger(endianness: .big, as: UInt64.self)!))
            case PackStreamMarker.int8:
                try need(1, in: buffer, for: "int8")
                return .integer(Int64(buffer.readInteger(as: Int8.self)!))
            case PackStreamMarker.int16:
                try need(2, in: buffer, for: "int16")
                return .integer(Int64(buffer.readInteger(endianness: .big, as: Int16.self)!))
            case PackStreamMarker.int32:
                try need(4, in: buffer, for: "int32")
                return .integer(Int64(buffer.readInteger(endianness: .big, as: Int32.self)!))
            case PackStreamMarker.int64:
                try need(8, in: buffer, for: "int64")
                return .integer(buffer.readInteger(endianness: .big, as: Int64.self)!)
            case PackStreamMarker.bytes8, PackStreamMarker.bytes16, PackStreamMarker.bytes32:
                let count = try size(from: &buffer, width: Int(marker - PackStreamMarker.bytes8))
                guard buffer.readableBytes >= count else {
                    throw error(.sizeBeyondBuffer, at: start, "bytes of \(count), \(buffer.readableBytes) left")
                }
                return .bytes(buffer.readBytes(length: count)!)
            case PackStreamMarker.string8, PackStreamMarker.string16, PackStreamMarker.string32:
                let count = try size(from: &buffer, width: Int(marker - PackStreamMarker.string8))
                guard buffer.readableBytes >= count else {
                    throw error(.sizeBeyondBuffer, at: start, "string of \(count) bytes, \(buffer.readableBytes) left")
                }
                return .string(try string(from: &buffer, count: count))
            case PackStreamMarker.list8, PackStreamMarker.list16, PackStreamMarker.list32:
                let count = try size(from: &buffer, width: Int(marker - PackStreamMarker.list8))
                return .list(try list(from: &buffer, count: count, depth: depth, at: start))
            case PackStreamMarker.map8, PackStreamMarker.map16, PackStreamMarker.map32:
                let count = try size(from: &buffer, width: Int(marker - PackStreamMarker.map8))
                return .map(try map(from: &buffer, count: count, depth: depth, at: start))
            default:
                throw error(.unknownMarker, at: start, hex(marker))
            }
        }

        /// Reads an 8, 16 or 32-bit unsigned size (width 0, 1, 2).
        func size(from buffer: inout ByteBuffer, width: Int) throws(PackStreamError) -> Int {
            switch width {
            case 0:
                try need(1, in: buffer, for: "size")
                return Int(buffer.readInteger(as: UInt8.self)!)
            case 1:
                try need(2, in: buffer, for: "size")
                return Int(buffer.readInteger(endianness: .big, as: UInt16.self)!)
            default:
                try need(4, in: buffer, for: "size")
                return Int(buffer.readInteger(endianness: .big, as: UInt32.self)!)
            }
        }

        func string(from buffer: inout ByteBuffer, count: Int) throws(PackStreamError) -> String {
            let start = buffer.readerIndex
            guard buffer.readableBytes >= count else {
                throw error(.sizeBeyondBuffer, at: start, "string of \(count) bytes, \(buffer.readableBytes) left")
            }
            let string = buffer.withUnsafeReadableBytes { bytes in
                String(validating: UnsafeRawBufferPointer(rebasing: bytes.prefix(count)), as: UTF8.self)
            }
            guard let string else { throw error(.invalidUTF8, at: start, "string of \(count) bytes") }
            buffer.moveReaderIndex(forwardBy: count)
            return string
        }

        mutating func list(from buffer: inout ByteBuffer, count: Int, depth: Int, at start: Int) throws(PackStreamError) -> [PackStreamValue] {
            guard depth < maximumDepth else { throw error(.nestingTooDeep, at: start, "limit \(maximumDepth)") }
            // Every item takes at least one byte: a count beyond that is a lie, refuse it before
            // allocating anything.
            guard count <= buffer.readableBytes else {
                throw error(.sizeBeyondBuffer, at: start, "list of \(count) items, \(buffer.readableBytes) bytes left")
            }
            var values: [PackStreamValue] = []
            values.reserveCapacity(count)
            for _ in 0..<count {
                values.append(try value(from: &buffer, depth: depth + 1))
            }
            return values
        }

        mutating func map(from buffer: inout ByteBuffer, count: Int, depth: Int, at start: Int) throws(PackStreamError) -> [String: PackStreamValue] {
            guard depth < maximumDepth else { throw error(.nestingTooDeep, at: start, "limit \(maximumDepth)") }
            guard count <= buffer.readableBytes / 2 else {
                throw error(.sizeBeyondBuffer, at: start, "map of \(count) entries, \(buffer.readableBytes) bytes left")
            }
            var entries: [String: PackStreamValue] = [:]
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let keyStart = buffer.readerIndex
                guard case .string(let key) = try value(from: &buffer, depth: depth + 1) else {
                    throw error(.nonStringKey, at: keyStart)
                }
                entries[key] = try value(from: &buffer, depth: depth + 1)
            }
            return entries
        }

        mutating func structure(from buffer: inout ByteBuffer, fieldCount: Int, depth: Int, at start: Int) throws(PackStreamError) -> PackStreamValue {
            guard depth < maximumDepth else { throw error(.nestingTooDeep, at: start, "limit \(maximumDepth)") }
            guard let tag = buffer.readInteger(as: UInt8.self) else {
                throw error(.truncated, at: buffer.readerIndex, "structure tag")
            }
            var fields: [PackStreamValue] = []
            fields.reserveCapacity(fieldCount)
            for _ in 0..<fieldCount {
                fields.append(try value(from: &buffer, depth: depth + 1))
            }
            return Self.typedStructure(tag: tag, fields: fields)
        }

        static func typedStructure(tag: UInt8, fields: [PackStreamValue]) -> PackStreamValue {
            let typed: PackStreamValue?
            switch tag {
            case PackStreamTag.node: typed = PackStreamNode(fields: fields).map(PackStreamValue.node)
            case PackStreamTag.relationship: typed = PackStreamRelationship(fields: fields).map(PackStreamValue.relationship)
            case PackStreamTag.unboundRelationship:
                typed = PackStreamUnboundRelationship(fields: fields).map(PackStreamValue.unboundRelationship)
            case PackStreamTag.path: typed = PackStreamPath(fields: fields).map(PackStreamValue.path)
            case PackStreamTag.date: typed = PackStreamDate(fields: fields).map(PackStreamValue.date)
            case PackStreamTag.time: typed = PackStreamTime(fields: fields).map(PackStreamValue.time)
            case PackStreamTag.localTime: typed = PackStreamLocalTime(fields: fields).map(PackStreamValue.localTime)
            case PackStreamTag.dateTime: typed = PackStreamDateTime(fields: fields).map(PackStreamValue.dateTime)
            case PackStreamTag.legacyDateTime: typed = PackStreamDateTime(legacyFields: fields).map(PackStreamValue.dateTime)
            case PackStreamTag.dateTimeZoneId: typed = PackStreamDateTimeZoneId(fields: fields).map(PackStreamValue.dateTimeZoneId)
            case PackStreamTag.legacyDateTimeZoneId:
                typed = PackStreamDateTimeZoneId(legacyFields: fields).map(PackStreamValue.dateTimeZoneId)
            case PackStreamTag.localDateTime: typed = PackStreamLocalDateTime(fields: fields).map(PackStreamValue.localDateTime)
            case PackStreamTag.duration: typed = PackStreamDuration(fields: fields).map(PackStreamValue.duration)
            case PackStreamTag.point2D: typed = PackStreamPoint2D(fields: fields).map(PackStreamValue.point2D)
            case PackStreamTag.point3D: typed = PackStreamPoint3D(fields: fields).map(PackStreamValue.point3D)
            default: typed = nil
            }
            return typed ?? .structure(PackStreamStructure(tag: tag, fields: fields))
        }
    }
}

@usableFromInline
func hex(_ byte: UInt8) -> String {
    "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
}
