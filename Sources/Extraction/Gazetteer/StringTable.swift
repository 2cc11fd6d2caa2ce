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

    /// For each string, the index of the first string equal to it; empty when all are distinct.
    func firstIndicesOfEqualStrings() -> [Int32] {
        var first: [String: Int32] = [:]
        first.reserveCapacity(count)
        var owners: [Int32] = []
        for index in 0..<count {
            let string = self[index]
            let owner = first[string, default: Int32(index)]
            if owner == Int32(index) {
                first[string] = owner
            } else if owners.isEmpty {
                owners = (0..<Int32(count)).map { $0 }
            }
            if !owners.isEmpty { owners[index] = owner }
        }
        return owners
    }

    mutating func shrink() {
        bytes = Array(bytes)
        ends = Array(ends)
    }
}
