import GraphStore
import Registry
import Synchronization

/// The entities of one run, one number per key in the order the run first meets them, with what
/// the run has done for each: its registry id, and whether the registry and the graph hold its
/// current name and type.
///
/// Whoever produces ``DocumentLoad``s (the interchange parser, the extraction workers) turns each
/// entity into its number once; from then on the writers work by number, with no string hashing
/// per mention, and register and merge each entity once per run instead of once per batch. Kept
/// per process only, so a rerun after a crash registers and writes them again (both are
/// idempotent).
public final class EntityLedger: Sendable {
    /// What the ledger knows of one numbered entity.
    struct Entry: Sendable {
        /// The latest name and type met for the key: what the registry and the graph are to
        /// hold for it.
        var entity: EntityRegistration
        /// The registry id, once registered in this run (a key keeps its id when renamed).
        var id: Int64?
        /// Whether the registry holds `entity` as it is now.
        var registered = false
        /// Whether the graph committed its node with `entity` as it is now.
        var written = false
        /// Whether a loaded document mentions it.
        var mentionedByLoaded = false
    }

    private struct State {
        var entries: [Entry] = []
        var numberByKey: [String: Int32] = [:]

        mutating func number(key: String, name: String, type: String) -> Int32 {
            let entity = EntityRegistration(key: key, name: name, type: type)
            guard let number = numberByKey[key] else {
                let number = Int32(entries.count)
                entries.append(Entry(entity: entity))
                numberByKey[key] = number
                return number
            }
            if entries[Int(number)].entity != entity {
                // Renamed: the new name is registered and written by the next batch that
                // mentions the key.
                entries[Int(number)].entity = entity
                entries[Int(number)].registered = false
                entries[Int(number)].written = false
            }
            return number
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// The number of the entity `key`; a name or type other than the last one met for the key
    /// replaces it.
    public func number(key: String, name: String, type: String) -> Int32 {
        state.withLock { state in state.number(key: key, name: name, type: type) }
    }

    /// The numbers of `entities` in order, under one lock.
    public func numbers<Entities: Collection>(
        of entities: Entities, key: (Entities.Element) -> String, name: (Entities.Element) -> String, type: (Entities.Element) -> String
    ) -> [Int32] {
        state.withLock { state in entities.map { state.number(key: key($0), name: name($0), type: type($0)) } }
    }

    /// Records that loaded documents mention the entities `numbers`, and returns how many of
    /// them no loaded document of the run mentioned before.
    func recordMentionedByLoaded(_ numbers: some Sequence<Int32>) -> Int {
        state.withLock { state in
            var newly = 0
            for number in numbers where !state.entries[Int(number)].mentionedByLoaded {
                state.entries[Int(number)].mentionedByLoaded = true
                newly += 1
            }
            return newly
        }
    }

    /// Calls `body` with the entries, indexed by number, under the lock.
    func withEntries<Result>(_ body: (inout [Entry]) -> Result) -> Result {
        state.withLock { body(&$0.entries) }
    }
}
