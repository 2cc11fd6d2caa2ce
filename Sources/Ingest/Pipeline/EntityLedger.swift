import GraphStore
import Synchronization

/// The entities of one run, numbered as the run first meets them, with what the run has done for
/// each: its registry id once registered, and whether the graph committed its node.
///
/// Whoever produces ``DocumentLoad``s (the interchange parser, the extraction workers) turns each
/// entity into its number once; from then on the writers work by number, with no string hashing
/// per mention, and register and merge each entity once per run instead of once per batch. Kept
/// per process only, so a rerun after a crash registers and writes them again (both are
/// idempotent).
public final class EntityLedger: Sendable {
    /// An entity as the graph and the registry show it.
    struct Entity: Sendable {
        var key: String
        var name: String
        var type: String
    }

    /// What the ledger knows of one numbered entity.
    struct Entry: Sendable {
        var entity: Entity
        /// The registry id, once registered in this run.
        var id: Int64?
        /// Whether the graph committed its node in this run.
        var written = false
        /// The number the key was first met under (itself, unless the key was renamed).
        var first: Int32
        /// Whether a loaded document mentions the key (kept on the entry numbered `first`).
        var mentionedByLoaded = false
    }

    private struct State {
        var entries: [Entry] = []
        /// The number of each key's latest name and type.
        var numberByKey: [String: Int32] = [:]
        /// Whether some key was met under a second name or type.
        var hasRenamedKeys = false

        mutating func number(key: String, name: String, type: String) -> Int32 {
            let number = Int32(entries.count)
            var first = number
            if let known = numberByKey[key] {
                let entry = entries[Int(known)]
                if entry.entity.name == name && entry.entity.type == type { return known }
                first = entry.first
                hasRenamedKeys = true
            }
            entries.append(Entry(entity: Entity(key: key, name: name, type: type), first: first))
            numberByKey[key] = number
            return number
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// The number of the entity `key` with this name and type. A key met again with another name
    /// or type gets a new number, so that the new name is registered and written too.
    public func number(key: String, name: String, type: String) -> Int32 {
        state.withLock { state in state.number(key: key, name: name, type: type) }
    }

    /// The numbers of `entities` in order, under one lock.
    public func numbers<Entities: Collection>(
        of entities: Entities, key: (Entities.Element) -> String, name: (Entities.Element) -> String, type: (Entities.Element) -> String
    ) -> [Int32] {
        state.withLock { state in entities.map { state.number(key: key($0), name: name($0), type: type($0)) } }
    }

    /// Whether some key was met under a second name or type, so two numbers share one key.
    var hasRenamedKeys: Bool {
        state.withLock { $0.hasRenamedKeys }
    }

    /// Records that loaded documents mention the entities `numbers`, and returns how many keys
    /// among them no loaded document of the run mentioned before.
    func recordMentionedByLoaded(_ numbers: some Sequence<Int32>) -> Int {
        state.withLock { state in
            var newly = 0
            for number in numbers {
                let first = Int(state.entries[Int(number)].first)
                if !state.entries[first].mentionedByLoaded {
                    state.entries[first].mentionedByLoaded = true
                    newly += 1
                }
            }
            return newly
        }
    }

    /// Calls `body` with the entries, indexed by number, under the lock.
    func withEntries<Result>(_ body: (inout [Entry]) -> Result) -> Result {
        state.withLock { body(&$0.entries) }
    }
}
