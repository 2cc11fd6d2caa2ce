import NIOCore
import PackStream
import Testing

@Suite struct PackStreamIntegerTests {
    static let vectors: [(Int64, [UInt8])] = [
        (0, [0x00]),
        (-16, [0xF0]),
        (127, [0x7F]),
        (-17, [0xC8, 0xEF]),
        (-128, [0xC8, 0x80]),
        (128, [0xC9, 0x00, 0x80]),
        (-129, [0xC9, 0xFF, 0x7F]),
        (32767, [0xC9, 0x7F, 0xFF]),
        (32768, [0xCA, 0x00, 0x00, 0x80, 0x00]),
        (2_147_483_648, [0xCB, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00]),
    ]

    @Test(arguments: vectors)
    func smallestEncoding(value: Int64, expected: [UInt8]) {
        var buffer = ByteBuffer()
        buffer.writePackStreamInteger(value)
        #expect(Array(buffer.readableBytesView) == expected)
    }
}
