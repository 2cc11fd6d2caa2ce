import NIOCore
import PackStream
import Testing

/// Byte vectors from the PackStream spec, at every marker and every size boundary.
@Suite struct PackStreamEncodingTests {
    static func bytes(of value: PackStreamValue) -> [UInt8] {
        var buffer = ByteBuffer()
        buffer.writePackStreamValue(value)
        return Array(buffer.readableBytesView)
    }

    static let integerVectors: [(Int64, [UInt8])] = [
        (0, [0x00]), (1, [0x01]), (42, [0x2A]), (127, [0x7F]), (-1, [0xFF]), (-16, [0xF0]),
        (-17, [0xC8, 0xEF]), (-128, [0xC8, 0x80]),
        (128, [0xC9, 0x00, 0x80]), (-129, [0xC9, 0xFF, 0x7F]),
        (32767, [0xC9, 0x7F, 0xFF]), (-32768, [0xC9, 0x80, 0x00]),
        (32768, [0xCA, 0x00, 0x00, 0x80, 0x00]), (-32769, [0xCA, 0xFF, 0xFF, 0x7F, 0xFF]),
        (2_147_483_647, [0xCA, 0x7F, 0xFF, 0xFF, 0xFF]), (-2_147_483_648, [0xCA, 0x80, 0x00, 0x00, 0x00]),
        (2_147_483_648, [0xCB, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]),
        (-2_147_483_649, [0xCB, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF]),
        (Int64.max, [0xCB, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        (Int64.min, [0xCB, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
    ]

    @Test(arguments: integerVectors)
    func integers(value: Int64, expected: [UInt8]) throws {
        #expect(Self.bytes(of: .integer(value)) == expected)
        #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: expected)) == .integer(value))
    }

    @Test func scalars() throws {
        let vectors: [(PackStreamValue, [UInt8])] = [
            (.null, [0xC0]), (.boolean(true), [0xC3]), (.boolean(false), [0xC2]),
            (.float(1.23), [0xC1, 0x3F, 0xF3, 0xAE, 0x14, 0x7A, 0xE1, 0x47, 0xAE]),
            (.float(-0.0), [0xC1, 0x80, 0, 0, 0, 0, 0, 0, 0]),
            (.string(""), [0x80]), (.string("A"), [0x81, 0x41]),
            (.string("Größenmaßstäbe"), [0xD0, 0x12] + Array("Größenmaßstäbe".utf8)),
            (.bytes([]), [0xCC, 0x00]), (.bytes([1, 2, 3]), [0xCC, 0x03, 1, 2, 3]),
            (.list([]), [0x90]), (.list([1, 2, 3]), [0x93, 0x01, 0x02, 0x03]),
            (.map([:]), [0xA0]), (.map(["one": "eins"]), [0xA1, 0x83, 0x6F, 0x6E, 0x65, 0x84, 0x65, 0x69, 0x6E, 0x73]),
            (.date(PackStreamDate(days: 19000)), [0xB1, 0x44, 0xC9, 0x4A, 0x38]),
            (.structure(PackStreamStructure(tag: 0x01, fields: [])), [0xB0, 0x01]),
        ]
        for (value, expected) in vectors {
            #expect(Self.bytes(of: value) == expected, "\(value)")
            #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: expected)) == value)
        }
    }

    static let sizeVectors: [(Int, [UInt8], [UInt8], [UInt8])] = [
        // count, string header, list header, map header
        (0, [0x80], [0x90], [0xA0]),
        (15, [0x8F], [0x9F], [0xAF]),
        (16, [0xD0, 0x10], [0xD4, 0x10], [0xD8, 0x10]),
        (255, [0xD0, 0xFF], [0xD4, 0xFF], [0xD8, 0xFF]),
        (256, [0xD1, 0x01, 0x00], [0xD5, 0x01, 0x00], [0xD9, 0x01, 0x00]),
        (65535, [0xD1, 0xFF, 0xFF], [0xD5, 0xFF, 0xFF], [0xD9, 0xFF, 0xFF]),
        (65536, [0xD2, 0x00, 0x01, 0x00, 0x00], [0xD6, 0x00, 0x01, 0x00, 0x00], [0xDA, 0x00, 0x01, 0x00, 0x00]),
    ]

    @Test(arguments: sizeVectors)
    func sizeClasses(count: Int, stringHeader: [UInt8], listHeader: [UInt8], mapHeader: [UInt8]) throws {
        let string = String(repeating: "x", count: count)
        let stringBytes = Self.bytes(of: .string(string))
        #expect(Array(stringBytes.prefix(stringHeader.count)) == stringHeader)
        #expect(stringBytes.count == stringHeader.count + count)
        #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: stringBytes)) == .string(string))

        let list = PackStreamValue.list(Array(repeating: .integer(1), count: count))
        let listBytes = Self.bytes(of: list)
        #expect(Array(listBytes.prefix(listHeader.count)) == listHeader)
        #expect(listBytes.count == listHeader.count + count)
        #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: listBytes)) == list)

        var entries: [String: PackStreamValue] = [:]
        for index in 0..<count { entries[String(index)] = .null }
        let mapBytes = Self.bytes(of: .map(entries))
        #expect(Array(mapBytes.prefix(mapHeader.count)) == mapHeader)
        #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: mapBytes)) == .map(entries))
    }

    @Test(arguments: [(0, [UInt8]([0xCC, 0x00])), (255, [0xCC, 0xFF]), (256, [0xCD, 0x01, 0x00]),
                      (65535, [0xCD, 0xFF, 0xFF]), (65536, [0xCE, 0x00, 0x01, 0x00, 0x00])])
    func byteArrays(count: Int, header: [UInt8]) throws {
        let value = PackStreamValue.bytes([UInt8](repeating: 7, count: count))
        let encoded = Self.bytes(of: value)
        #expect(Array(encoded.prefix(header.count)) == header)
        #expect(encoded.count == header.count + count)
        #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: encoded)) == value)
    }

    @Test func structureTypesRoundTrip() throws {
        let node = PackStreamNode(id: 1, labels: ["Person"], properties: ["name": "Alice"], elementId: "4:x:1")
        let legacyNode = PackStreamNode(id: 2, labels: [], properties: [:])
        let unbound = PackStreamUnboundRelationship(id: 9, type: "KNOWS", properties: ["since": 1999], elementId: "5:x:9")
        let values: [PackStreamValue] = [
            .node(node), .node(legacyNode),
            .relationship(PackStreamRelationship(id: 3, startNodeId: 1, endNodeId: 2, type: "KNOWS", properties: [:],
                                                 elementId: "5:x:3", startNodeElementId: "4:x:1", endNodeElementId: "4:x:2")),
            .relationship(PackStreamRelationship(id: 3, startNodeId: 1, endNodeId: 2, type: "KNOWS", properties: ["w": 1.5])),
            .unboundRelationship(unbound),
            .path(PackStreamPath(nodes: [node, legacyNode], relationships: [unbound], indices: [1, 1])),
            .date(PackStreamDate(days: -719_162)),
            .time(PackStreamTime(nanoseconds: 3_600_000_000_123, offsetSeconds: -18000)),
            .localTime(PackStreamLocalTime(nanoseconds: 86_399_999_999_999)),
            .dateTime(PackStreamDateTime(seconds: 1_700_000_000, nanoseconds: 5, offsetSeconds: 3600)),
            .dateTimeZoneId(PackStreamDateTimeZoneId(seconds: 1_700_000_000, nanoseconds: 0, zoneId: "Europe/Paris")),
            .localDateTime(PackStreamLocalDateTime(seconds: -1, nanoseconds: 999_999_999)),
            .duration(PackStreamDuration(months: 14, days: -3, seconds: 59, nanoseconds: 1)),
            .point2D(PackStreamPoint2D(srid: 7203, x: 1.5, y: -2)),
            .point3D(PackStreamPoint3D(srid: 4979, x: 2.3, y: 4.5, z: 6)),
        ]
        for value in values {
            #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: Self.bytes(of: value))) == value, "\(value)")
        }
        #expect(Self.bytes(of: .point2D(PackStreamPoint2D(srid: 7203, x: 0, y: 0)))
            == [0xB3, 0x58, 0xC9, 0x1C, 0x23, 0xC1, 0, 0, 0, 0, 0, 0, 0, 0, 0xC1, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    @Test func legacyDateTimesDecodeToUTC() throws {
        // 'F': local seconds 1_700_003_600 at +01:00 is 1_700_000_000 UTC.
        var buffer = ByteBuffer()
        buffer.writePackStream { writer in
            writer.writeStructureHeader(tag: PackStreamTag.legacyDateTime, fieldCount: 3)
            writer.writeInteger(1_700_003_600)
            writer.writeInteger(7)
            writer.writeInteger(3600)
        }
        #expect(try PackStreamDecoder().decodeAll(buffer)
            == .dateTime(PackStreamDateTime(seconds: 1_700_000_000, nanoseconds: 7, offsetSeconds: 3600)))

        // 'f': 2023-11-14T23:13:20 in Paris (winter, +01:00) is 1_700_000_000 - 3600 UTC... and back.
        let zoned = PackStreamDateTimeZoneId(seconds: 1_700_000_000, nanoseconds: 0, zoneId: "Europe/Paris")
        buffer.clear()
        buffer.writePackStream { writer in
            writer.writeStructureHeader(tag: PackStreamTag.legacyDateTimeZoneId, fieldCount: 3)
            for field in zoned.legacyFields { writer.write(field) }
        }
        #expect(try PackStreamDecoder().decodeAll(buffer) == .dateTimeZoneId(zoned))
        #expect(zoned.offsetSeconds == 3600)
    }

    @Test func legacyFormsWrittenOnRequest() throws {
        let value = PackStreamValue.dateTime(PackStreamDateTime(seconds: 1_700_000_000, nanoseconds: 7, offsetSeconds: 3600))
        var writer = PackStreamWriter()
        writer.usesLegacyDateTime = true
        writer.write(value)
        #expect(Array(writer.bytes.prefix(2)) == [0xB3, PackStreamTag.legacyDateTime])
        var buffer = ByteBuffer()
        buffer.writeBytes(writer.bytes)
        #expect(try PackStreamDecoder().decodeAll(buffer) == value)
    }

    @Test func mismatchedStructureStaysGeneric() throws {
        let bytes: [UInt8] = [0xB2, 0x44, 0x01, 0x02]  // a Date with two fields
        #expect(try PackStreamDecoder().decodeAll(ByteBuffer(bytes: bytes))
            == .structure(PackStreamStructure(tag: 0x44, fields: [1, 2])))
    }

    struct Mention: PackStreamEncodable {
        var document: Int64
        var entity: Int64
        var offsets: [Int64]
        func encode(to writer: inout PackStreamWriter) {
            writer.writeMapHeader(count: 3)
            writer.writeKey("document")
            writer.writeInteger(document)
            writer.writeKey("entity")
            writer.writeInteger(entity)
            writer.writeString("offsets")
            writer.write(offsets)
        }
    }

    @Test func writerGrowsAndKeysMatchStrings() {
        var writer = PackStreamWriter(capacity: 1)
        for index in 0..<1000 {
            writer.writeKey("key")
            writer.writeString("key")
            writer.writeInteger(index)
        }
        let bytes = Array(writer.bytes)
        #expect(bytes.count == 1000 * 8 + 128 + 872 * 3)
        #expect(Array(bytes[0..<4]) == Array(bytes[4..<8]))
        writer.removeAll()
        #expect(writer.count == 0)
        writer.writeKey("Größe")
        #expect(Array(writer.bytes) == [0x87] + Array("Größe".utf8))
    }

    @Test func encodableRowsMatchTheValueEncoding() throws {
        let rows = (0..<100).map { Mention(document: Int64($0), entity: Int64($0 * 1000), offsets: [1, 200, 70000]) }
        var buffer = ByteBuffer()
        buffer.writePackStream { $0.writeParameters(["rows": .rows(rows)]) }
        let expected: PackStreamValue = .map(["rows": .list(rows.map {
            .map(["document": .integer($0.document), "entity": .integer($0.entity), "offsets": [1, 200, 70000]])
        })])
        #expect(try PackStreamDecoder().decodeAll(buffer) == expected)

        var literals = ByteBuffer()
        literals.writePackStream { $0.writeParameters(["a": 1, "b": "x", "c": nil, "d": [1, "two"], "e": 2.5, "f": true]) }
        #expect(try PackStreamDecoder().decodeAll(literals) == ["a": 1, "b": "x", "c": nil, "d": [1, "two"], "e": 2.5, "f": true])
    }
}
