/// The gazetteer entities a session has met lately: for each, its key, name and type as Strings,
/// and its group among the current document's mentions (-1: none yet).
///
/// Grouping looks an entity up here once per mention: an open-addressing table of the entities
/// of recent documents stays in the processor's cache, where an array indexed by entity misses
/// it on most mentions of a million-entity gazetteer. Keeping the Strings means an entity
/// mentioned in many documents has them made once, not once per document. The table is emptied
/// between documents when it holds more than `limit` entities, so its memory stays bounded.
struct EntityGroupIndex {
    /// An entity's labels, as a document's group of mentions carries them.
    struct Labels {
        var key: String
        var name: String
        var type: String
    }

    static let limit = 1 << 16
    /// Open addressing, linear probing, at most half full: an index into `entities`, -1 empty.
    private var slots = [Int32](repeating: -1, count: 1024)
    /// The gazetteer entity of each entry.
    private var entities: [Int32] = []
    /// The labels of each entry.
    private(set) var labels: [Labels] = []
    /// The group of each entry in the current document, -1 when not grouped yet.
    var groups: [Int32] = []

    /// Empties the table when it has grown past `limit` (call between documents, when no entry
    /// has a group).
    mutating func startDocument() {
        guard entities.count > Self.limit else { return }
        self = EntityGroupIndex()
    }

    /// The entry of gazetteer entity `entity`, added with its labels when new.
    mutating func entry(for entity: Int32, in gazetteer: Gazetteer) -> Int {
        var slot = Self.slot(entity, slots.count)
        while true {
            let found = slots[slot]
            if found < 0 { break }
            if entities[Int(found)] == entity { return Int(found) }
            slot = (slot + 1) & (slots.count - 1)
        }
        let index = entities.count
        entities.append(entity)
        labels.append(Labels(key: gazetteer.key(entity), name: gazetteer.name(entity), type: gazetteer.type(entity)))
        groups.append(-1)
        if entities.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            for (index, entity) in entities.enumerated() { place(Int32(index), entity) }
        } else {
            slots[slot] = Int32(index)
        }
        return index
    }

    private mutating func place(_ index: Int32, _ entity: Int32) {
        var slot = Self.slot(entity, slots.count)
        while slots[slot] >= 0 { slot = (slot + 1) & (slots.count - 1) }
        slots[slot] = index
    }

    /// Fibonacci hashing: the high bits of the entity times 2^64 / φ, as many as `capacity` (a
    /// power of two) needs.
    @inline(__always)
    private static func slot(_ entity: Int32, _ capacity: Int) -> Int {
        let product = UInt64(UInt32(bitPattern: entity)) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: product >> UInt64(64 - capacity.trailingZeroBitCount))
    }
}
