import GraphStore
import Synchronization

/// The entities one run has registered in the registry and written to the graph, shared by the
/// run's writers.
///
/// Most batches mention the same entities again: registering and merging each one once per run
/// instead of once per batch saves most of the entity work on both servers. Kept per process
/// only, so a rerun after a crash registers and writes them again (both are idempotent).
final class EntityLedger: Sendable {
    /// What the ledger knows of one entity.
    struct Entry: Sendable {
        var id: Int64
        var name: String
        var type: String
        /// Whether the graph committed its node in this run.
        var written: Bool
    }

    private let entries = Mutex([String: Entry]())

    /// The entry of each of `entities` registered earlier in this run with the same name and
    /// type (nil: register it), one hash lookup each.
    func lookUp(_ entities: [EntityMentionLoad]) -> [Entry?] {
        entries.withLock { entries in
            entities.map { entity in
                guard let entry = entries[entity.key], entry.name == entity.name, entry.type == entity.type else { return nil }
                return entry
            }
        }
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
