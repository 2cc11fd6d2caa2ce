/// Many strings in two flat arrays (UTF-8 bytes and end offsets): a million names cost their
/// bytes plus four bytes each, instead of a heap object per String.
struct StringTable: Sendable {
    private var bytes: [UInt8] = []
    private var ends: [UInt32] = []

    var count: Int { ends.count }
    var footprint: Int { bytes.capacity + ends.capacity * 4 }

    mutating func append(_ string: String) {
        bytes.append(contentsOf: string.utf8)
        ends.append(UInt32(bytes.count))
    }

    mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: utf8)
        ends.append(UInt32(bytes.count))
    }

    subscript(index: Int) -> String {
        let start = index == 0 ? 0 : Int(ends[index - 1])
        return String(decoding: bytes[start..<Int(ends[index])], as: UTF8.self)
    }

    mutating func shrink() {
        bytes = Array(bytes)
        ends = Array(ends)
    }
}
