import NIOCore
import PackStream
import Testing

/// Random round trips and hostile input: the decoder must throw, never crash.
@Suite struct PackStreamDecodingTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func randomValue(_ random: inout SplitMix, depth: Int = 0) -> PackStreamValue {
        let kind = Int.random(in: 0..<(depth > 3 ? 6 : 9), using: &random)
        switch kind {
        case 0: return .null
        case 1: return .boolean(Bool.random(using: &random))
        case 2:
            let bits = Int.random(in: 0...63, using: &random)
            return .integer(Int64.random(in: Int64.min...Int64.max, using: &random) >> bits)
        case 3: return .float(Double.random(in: -1e300...1e300, using: &random))
        case 4:
            let scalars = (0..<Int.random(in: 0...40, using: &random)).map { _ in
                Character(Unicode.Scalar(UInt32.random(in: 0x20...0x2FF, using: &random))!)
            }
            return .string(String(scalars))
        case 5: return .bytes((0..<Int.random(in: 0...300, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        case 6: return .list((0..<Int.random(in: 0...20, using: &random)).map { _ in randomValue(&random, depth: depth + 1) })
        case 7:
            var entries: [String: PackStreamValue] = [:]
            for index in 0..<Int.random(in: 0...20, using: &random) { entries["k\(index)"] = randomValue(&random, depth: depth + 1) }
            return .map(entries)
        default:
            return .duration(PackStreamDuration(months: Int64.random(in: -99...99, using: &random), days: 1, seconds: -5,
                                                nanoseconds: Int64.random(in: 0...999_999_999, using: &random)))
        }
    }

    @Test func randomRoundTrips() throws {
        var random = SplitMix(state: 42)
        for _ in 0..<2000 {
            let value = Self.randomValue(&random)
            var buffer = ByteBuffer()
            buffer.writePackStreamValue(value)
            #expect(try PackStreamDecoder().decodeAll(buffer) == value)
        }
    }

    static func decodeError(_ bytes: [UInt8], maximumDepth: Int = 64) -> PackStreamError? {
        do {
            _ = try PackStreamDecoder(maximumDepth: maximumDepth).decodeAll(ByteBuffer(bytes: bytes))
            return nil
        } catch {
            return error
        }
    }

    @Test func everyPrefixOfAValidEncodingIsTruncated() {
        var buffer = ByteBuffer()
        buffer.writePackStreamValue(["name": "Größe", "list": [1, 1000, 100_000, 10_000_000_000, 1.5, nil, true],
                                     "bytes": .bytes([1, 2, 3]), "date": .date(PackStreamDate(days: 3))])
        let bytes = Array(buffer.readableBytesView)
        for length in 0..<bytes.count {
            let error = Self.decodeError(Array(bytes.prefix(length)))
            #expect(error?.code == .truncated || error?.code == .sizeBeyondBuffer, "prefix of \(length)")
            #expect((error?.offset ?? -1) <= length)
        }
    }

    @Test(arguments: [UInt8(0xC4), 0xC5, 0xC6, 0xC7, 0xCF, 0xD3, 0xD7, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF, 0xE0, 0xEF])
    func unknownMarkers(marker: UInt8) {
        let error = Self.decodeError([0x92, 0x01, marker])
        #expect(error?.code == .unknownMarker)
        #expect(error?.offset == 2)
        #expect(error?.description.contains("offset 2") == true)
    }

    @Test func sizesBeyondTheBuffer() {
        #expect(Self.decodeError([0xD2, 0xFF, 0xFF, 0xFF, 0xFF, 0x41])?.code == .sizeBeyondBuffer)
        #expect(Self.decodeError([0xD6, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])?.code == .sizeBeyondBuffer)
        #expect(Self.decodeError([0xDA, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x41, 0x01])?.code == .sizeBeyondBuffer)
        #expect(Self.decodeError([0xCE, 0x7F, 0xFF, 0xFF, 0xFF])?.code == .sizeBeyondBuffer)
    }

    @Test func nestingLimit() {
        let deep = [UInt8](repeating: 0x91, count: 100) + [0x01]
        let error = Self.decodeError(deep)
        #expect(error?.code == .nestingTooDeep)
        #expect(error?.offset == 64)
        #expect(Self.decodeError([UInt8](repeating: 0x91, count: 10) + [0x01]) == nil)
        #expect(Self.decodeError([UInt8](repeating: 0xB1, count: 200))?.code == .nestingTooDeep)
    }

    @Test func invalidUTF8AndNonStringKeys() {
        let error = Self.decodeError([0x91, 0x82, 0xC3, 0x28])
        #expect(error?.code == .invalidUTF8)
        #expect(error?.offset == 2)
        #expect(Self.decodeError([0xA1, 0x01, 0x01])?.code == .nonStringKey)
        #expect(Self.decodeError([0x01, 0x02])?.code == .trailingBytes)
    }

    @Test func randomBytesNeverCrash() {
        var random = SplitMix(state: 7)
        for _ in 0..<20_000 {
            let bytes = (0..<Int.random(in: 0...24, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = Self.decodeError(bytes)
        }
    }
}
