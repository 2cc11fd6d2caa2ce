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
    /// Compares bytes in an open-addressing table of indices: no String per entry.
    func firstIndicesOfEqualStrings() -> [Int32] {
        var owners: [Int32] = []
        bytes.withUnsafeBufferPointer { bytes in
            ends.withUnsafeBufferPointer { ends in
                func string(_ index: Int) -> UnsafeBufferPointer<UInt8> {
                    let start = index == 0 ? 0 : Int(ends[index - 1])
                    return UnsafeBufferPointer(rebasing: bytes[start..<Int(ends[index])])
                }
                var capacity = 16
                while capacity < count * 2 { capacity *= 2 }
                let mask = capacity - 1
                var slots = [Int32](repeating: -1, count: capacity)
                for index in 0..<count {
                    let utf8 = string(index)
                    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
                    for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                    var slot = Int(truncatingIfNeeded: hash ^ (hash >> 29)) & mask
                    var owner = Int32(index)
                    while slots[slot] >= 0 {
                        if string(Int(slots[slot])).elementsEqual(utf8) {
                            owner = slots[slot]
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                    if owner == Int32(index) {
                        slots[slot] = owner
                    } else if owners.isEmpty {
                        owners = (0..<Int32(count)).map { $0 }
                    }
                    if !owners.isEmpty { owners[index] = owner }
                }
            }
        }
        return owners
    }

    mutating func shrink() {
        bytes = Array(bytes)
        ends = Array(ends)
    }
}
