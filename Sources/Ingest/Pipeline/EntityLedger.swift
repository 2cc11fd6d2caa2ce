import GraphStore
import Synchronization

/// The entities one run has registered in the registry and written to the graph, shared by the
/// run's writers.
///
/// Most batches mention the same entities again: registering and merging each one once per run
/// instead of once per batch saves most of the entity work on both servers. Kept per process
/// only, so a rerun after a crash registers and writes them again (both are idempotent).
final class EntityLedger: Sendable {
    private struct Entry {
        var id: Int64
        var name: String
        var type: String
        var written: Bool
    }

    /// What the ledger knows of a batch's entities.
    struct Lookup {
        /// Registry ids of the entities registered earlier in this run with the same name and type.
        var ids: [String: Int64] = [:]
        /// The entities to register (new to this run, or renamed).
        var unregistered: [EntityMentionLoad] = []
        /// Registered entities whose node the graph has not committed yet in this run.
        var unwritten: [GraphEntityRow] = []
    }

    private let entries = Mutex([String: Entry]())

    /// Looks up `entities` (distinct keys), one hash lookup each.
    func lookUp(_ entities: [EntityMentionLoad]) -> Lookup {
        var lookup = Lookup()
        lookup.ids.reserveCapacity(entities.count)
        entries.withLock { entries in
            for entity in entities {
                guard let entry = entries[entity.key], entry.name == entity.name, entry.type == entity.type else {
                    lookup.unregistered.append(entity)
                    continue
                }
                lookup.ids[entity.key] = entry.id
                if !entry.written {
                    lookup.unwritten.append(GraphEntityRow(id: entry.id, key: entity.key, name: entity.name, type: entity.type))
                }
            }
        }
        return lookup
    }

    /// Records registrations; their nodes count as unwritten until ``recordWritten(_:)``.
    func recordRegistered(_ rows: [GraphEntityRow]) {
        entries.withLock { entries in
            for row in rows { entries[row.key] = Entry(id: row.id, name: row.name, type: row.type, written: false) }
        }
    }

    /// Records rows the graph committed.
    func recordWritten(_ rows: some Sequence<GraphEntityRow>) {
        entries.withLock { entries in
            for row in rows { entries[row.key]?.written = true }
        }
    }
}
