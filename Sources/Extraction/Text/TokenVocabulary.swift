internal import CICU

/// Interns normalized tokens: each distinct token gets a dense id, and a value of the caller's
/// (the trie node it leads to from the root, once the gazetteer is built).
///
/// The storage is the layout of `gi_token_table` (CICU.h), so that the C tokenizer looks each
/// document token up itself, with no normalized copy and no String: an open-addressing table of
/// 64-bit slots (`hash << 32 | entry offset`), and one array of entries, each six header units
/// (id, value, length, two units each) followed by the token's UTF-16. A lookup touches the slot,
/// then the entry, whose header and text share a cache line: about two cache misses with a
/// million-term gazetteer, where separate id, offset and text arrays cost three or four.
struct TokenVocabulary: Sendable {
    private static let header = Int(GI_TOKEN_ENTRY_HEADER)
    /// The entries, in id order. A sentinel entry-less unit keeps it non-empty, so its base
    /// address always exists.
    private var entries: [UInt16] = [0]
    /// The offset in `entries` of each token's entry, by id.
    private var entryStarts: [UInt32] = []
    /// Open addressing, linear probing, at most half full: `hash << 32 | entry offset`,
    /// `UInt64.max` when empty.
    private var slots: [UInt64] = [UInt64](repeating: .max, count: 1024)

    /// The number of distinct tokens.
    var count: Int { entryStarts.count }

    /// Bytes held, for memory figures.
    var footprint: Int { entries.capacity * 2 + entryStarts.capacity * 4 + slots.capacity * 8 }

    /// The hash `gi_token.hash` gives (the shim's one implementation, so the two cannot drift).
    static func hash(_ token: UnsafeBufferPointer<UInt16>) -> UInt32 {
        gi_token_hash(token.baseAddress, Int32(token.count))
    }

    /// The id of `token`, or -1 when it is not in the vocabulary.
    func id(of token: UnsafeBufferPointer<UInt16>) -> Int32 {
        id(of: token, hash: Self.hash(token))
    }

    private func id(of token: UnsafeBufferPointer<UInt16>, hash: UInt32) -> Int32 {
        entries.withUnsafeBufferPointer { entries in
            slots.withUnsafeBufferPointer { slots in
                let mask = slots.count - 1
                var slot = Int(hash) & mask
                while true {
                    let entry = slots[slot]
                    if entry == .max { return -1 }
                    if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                        let start = Int(UInt32(truncatingIfNeeded: entry))
                        let text = start + Self.header
                        if Self.field(entries, start, 2) == UInt32(token.count),
                           token.indices.allSatisfy({ entries[text + $0] == token[$0] }) {
                            return Int32(bitPattern: Self.field(entries, start, 0))
                        }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }

    @inline(__always)
    private static func field(_ entries: UnsafeBufferPointer<UInt16>, _ start: Int, _ field: Int) -> UInt32 {
        UInt32(entries[start + 2 * field]) | UInt32(entries[start + 2 * field + 1]) << 16
    }

    private mutating func setField(_ start: Int, _ field: Int, _ value: UInt32) {
        entries[start + 2 * field] = UInt16(truncatingIfNeeded: value)
        entries[start + 2 * field + 1] = UInt16(truncatingIfNeeded: value >> 16)
    }

    /// The id of `token`, adding it when new.
    mutating func intern(_ token: UnsafeBufferPointer<UInt16>) -> Int32 {
        intern(token, hash: Self.hash(token))
    }

    /// The id of `token` whose hash is `hash`, adding it when new (its value is -1).
    mutating func intern(_ token: UnsafeBufferPointer<UInt16>, hash: UInt32) -> Int32 {
        let existing = id(of: token, hash: hash)
        if existing >= 0 { return existing }
        let id = Int32(entryStarts.count)
        let start = entries.count
        precondition(start + Self.header + token.count <= Int(UInt32.max), "token vocabulary over 4 G units")
        entries.append(contentsOf: repeatElement(0, count: Self.header))
        entries.append(contentsOf: token)
        setField(start, 0, UInt32(bitPattern: id))
        setField(start, 1, UInt32(bitPattern: -1))
        setField(start, 2, UInt32(token.count))
        entryStarts.append(UInt32(start))
        if entryStarts.count * 2 > slots.count {
            let old = slots
            slots = [UInt64](repeating: .max, count: old.count * 2)
            for entry in old where entry != .max { place(entry) }
        }
        place(UInt64(hash) << 32 | UInt64(start))
        return id
    }

    private mutating func place(_ entry: UInt64) {
        let mask = slots.count - 1
        var slot = Int(entry >> 32) & mask
        while slots[slot] != .max { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// Sets the value of every token to `value(id)`.
    mutating func setValues(_ value: (Int32) -> Int32) {
        for (id, start) in entryStarts.enumerated() {
            setField(Int(start), 1, UInt32(bitPattern: value(Int32(id))))
        }
    }

    /// The value of token `id`.
    func value(of id: Int32) -> Int32 {
        entries.withUnsafeBufferPointer { Int32(bitPattern: Self.field($0, Int(entryStarts[Int(id)]), 1)) }
    }

    /// Calls `body` with the table as the C tokenizer reads it (valid only inside `body`).
    func withTable<R, E: Error>(_ body: (UnsafePointer<gi_token_table>) throws(E) -> R) throws(E) -> R {
        // `entries` and `slots` are never empty, so their base addresses exist.
        let result: Result<R, E> = entries.withUnsafeBufferPointer { entries in
            slots.withUnsafeBufferPointer { slots in
                var table = gi_token_table(slots: slots.baseAddress!, mask: UInt32(slots.count - 1), entries: entries.baseAddress!)
                return withUnsafePointer(to: &table) { table in
                    do throws(E) { return .success(try body(table)) } catch { return .failure(error) }
                }
            }
        }
        return try result.get()
    }

    /// The normalized text of token `id` (for diagnostics and tests).
    func text(of id: Int32) -> String {
        let start = Int(entryStarts[Int(id)])
        let length = entries.withUnsafeBufferPointer { Int(Self.field($0, start, 2)) }
        return String(decoding: entries[start + Self.header..<start + Self.header + length], as: UTF16.self)
    }

    /// Drops spare capacity once building is done.
    mutating func shrink() {
        entries = Array(entries)
        entryStarts = Array(entryStarts)
    }
}
