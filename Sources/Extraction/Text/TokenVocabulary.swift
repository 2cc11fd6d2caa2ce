/// Interns normalized tokens: each distinct token gets a dense id.
///
/// Storage is flat (one array of UTF-16 units, one of offsets, one open-addressing table), so a
/// million tokens cost a few bytes each beyond their text, and lookups hash the caller's buffer
/// without making a String.
struct TokenVocabulary: Sendable {
    // A sentinel unit keeps `units` non-empty, so its base address always exists.
    private var units: [UInt16] = [0]
    private var offsets: [Int32] = [1]
    private var hashes: [UInt32] = []
    /// Open addressing, linear probing; each slot holds `hash << 32 | id` (so a probe compares
    /// hashes without another memory access), `UInt64.max` when empty.
    private var slots: [UInt64] = [UInt64](repeating: .max, count: 1024)

    /// The number of distinct tokens.
    var count: Int { hashes.count }

    /// Bytes held, for memory figures.
    var footprint: Int { units.capacity * 2 + offsets.capacity * 4 + hashes.capacity * 4 + slots.capacity * 8 }

    @inline(__always)
    static func hash(_ token: UnsafeBufferPointer<UInt16>) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for unit in token {
            hash = (hash ^ UInt64(unit)) &* 0x0000_0100_0000_01b3
        }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }

    /// The id of `token`, or -1 when it is not in the vocabulary.
    func id(of token: UnsafeBufferPointer<UInt16>) -> Int32 {
        withLookup { $0.id(of: token, hash: Self.hash(token)) }
    }

    /// Raw views of the tables for the matching loop, which looks up every token of a document:
    /// no array bounds checks or reference counting per lookup.
    struct Lookup {
        let units: UnsafePointer<UInt16>
        let offsets: UnsafePointer<Int32>
        let slots: UnsafePointer<UInt64>
        let mask: Int

        /// The id of `token` whose hash (`TokenVocabulary.hash`, or `gi_token.hash`) is `hash`, or -1.
        @inline(__always)
        func id(of token: UnsafeBufferPointer<UInt16>, hash: UInt32) -> Int32 {
            var slot = Int(hash) & mask
            while true {
                let entry = slots[slot]
                if entry == .max { return -1 }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    let candidate = Int(UInt32(truncatingIfNeeded: entry))
                    let start = Int(offsets[candidate])
                    let end = Int(offsets[candidate + 1])
                    if end - start == token.count {
                        var index = 0
                        while index < token.count && units[start + index] == token[index] { index += 1 }
                        if index == token.count { return Int32(candidate) }
                    }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Calls `body` with raw views of the tables (valid only inside `body`).
    func withLookup<R, E: Error>(_ body: (Lookup) throws(E) -> R) throws(E) -> R {
        // `units`, `offsets` and `slots` are never empty, so their base addresses exist.
        let result: Result<R, E> = units.withUnsafeBufferPointer { units in
            offsets.withUnsafeBufferPointer { offsets in
                slots.withUnsafeBufferPointer { slots in
                    let lookup = Lookup(units: units.baseAddress!, offsets: offsets.baseAddress!, slots: slots.baseAddress!, mask: slots.count - 1)
                    do throws(E) { return .success(try body(lookup)) } catch { return .failure(error) }
                }
            }
        }
        return try result.get()
    }

    /// The id of `token`, adding it when new.
    mutating func intern(_ token: UnsafeBufferPointer<UInt16>) -> Int32 {
        intern(token, hash: Self.hash(token))
    }

    /// The id of `token` whose hash is `hash`, adding it when new.
    mutating func intern(_ token: UnsafeBufferPointer<UInt16>, hash: UInt32) -> Int32 {
        let existing = withLookup { $0.id(of: token, hash: hash) }
        if existing >= 0 { return existing }
        let id = Int32(hashes.count)
        units.append(contentsOf: token)
        offsets.append(Int32(units.count))
        hashes.append(hash)
        if hashes.count * 2 > slots.count {
            slots = [UInt64](repeating: .max, count: slots.count * 2)
            for (old, oldHash) in hashes.enumerated().dropLast() { place(Int32(old), oldHash) }
        }
        place(id, hash)
        return id
    }

    private mutating func place(_ id: Int32, _ hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != .max { slot = (slot + 1) & mask }
        slots[slot] = UInt64(hash) << 32 | UInt64(UInt32(bitPattern: id))
    }

    /// The normalized text of token `id` (for diagnostics and tests).
    func text(of id: Int32) -> String {
        String(decoding: units[Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])], as: UTF16.self)
    }

    /// Drops spare capacity once building is done.
    mutating func shrink() {
        units = Array(units)
        offsets = Array(offsets)
        hashes = Array(hashes)
    }
}
