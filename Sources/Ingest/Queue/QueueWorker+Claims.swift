import Registry
import Synchronization

/// Something a producer claims from the queue: a read document, with what the registry needs to
/// know of it.
package protocol ClaimableDocument: Sendable {
    /// The document's source, content hash and file facts, as a claim registers them.
    var registration: DocumentRegistration { get }
}

/// What a claim of one group gave a worker.
package struct WorkerClaim<Document: ClaimableDocument>: Sendable {
    /// The documents the worker now holds, each with its registry id, version and last run: the
    /// registration the commit uses.
    package var claimed: [(document: Document, registered: RegisteredDocument)] = []
    /// The sources the run saw a second time, held by this worker or loaded by its run already:
    /// the first is kept; these are dead letters.
    package var duplicates: [String] = []
}

extension QueueWorker {
    /// Claims a group for this worker and does the claim's bookkeeping: documents loaded meanwhile
    /// (by another worker) count as unchanged, documents another worker holds go to `setAside`
    /// with `payload` (what the producer needs to read them again), and a source this worker
    /// already holds, or its run has loaded, is a duplicate.
    package func claim<Document: ClaimableDocument, Payload: Sendable & Hashable>(
        _ documents: [Document], fingerprint: String?, setAside: SetAsideDocuments<Payload>,
        payload: (Document) -> Payload, context: PipelineContext
    ) async throws -> WorkerClaim<Document> {
        var result = WorkerClaim<Document>()
        let sources = documents.map(\.registration.source)
        let taken = reserve(sources)
        result.duplicates = sources.filter(taken.contains)
        let reserved = documents.filter { !taken.contains($0.registration.source) }
        guard !reserved.isEmpty else { return result }
        let outcome: ClaimOutcome
        do {
            outcome = try await context.tally.time(.claim) {
                try await queue.claimDocuments(reserved.map(\.registration), fingerprint: fingerprint, holder: id, lease: lease,
                                               run: context.sourcesRepeat ? nil : context.runID)
            }
        } catch {
            letGo(reserved.map(\.registration.source))
            throw error
        }
        hold(outcome.claimed.map { (source: $0.key, id: $0.value.id) })
        letGo(reserved.map(\.registration.source).filter { outcome.claimed[$0] == nil })
        result.duplicates += outcome.loadedByRun.sorted()
        context.tally.claimed(outcome)
        if !outcome.heldByOthers.isEmpty {
            setAside.add(reserved.compactMap { document in
                outcome.heldByOthers[document.registration.source].map {
                    SetAsideDocuments.Entry(id: $0, source: document.registration.source, payload: payload(document))
                }
            })
            context.tally.heldByOthers(setAside.count)
        }
        result.claimed = reserved.compactMap { document in outcome.claimed[document.registration.source].map { (document, $0) } }
        return result
    }

    /// Gives up claimed documents that failed before any commit: each is `failed` in the
    /// registry with its reason, and no longer held.
    package func fail(_ failures: [DocumentFailure]) async throws {
        guard !failures.isEmpty else { return }
        _ = try await queue.failClaimed(failures.map { ($0.source, $0.reason) }, holder: id)
        letGo(failures.map(\.source))
    }
}

/// The documents a producer met while another worker held them, and the groups of them sent back
/// to extraction and not yet claimed again. `Payload` is what the producer needs to read a
/// document again (the corpus producer's file), never its text: many may wait.
package final class SetAsideDocuments<Payload: Sendable & Hashable>: Sendable {
    /// One document set aside.
    package struct Entry: Sendable, Hashable {
        package var id: Int64
        package var source: String
        package var payload: Payload
    }

    private struct State {
        var entries: [Int64: Entry] = [:]
        var inFlight = 0
    }

    private let state = Mutex(State())

    package init() {}

    func add(_ entries: [Entry]) {
        state.withLock { state in
            for entry in entries { state.entries[entry.id] = entry }
        }
    }

    /// How many documents wait.
    package var count: Int { state.withLock { $0.entries.count } }

    func snapshot() -> (entries: [Entry], inFlight: Int) {
        state.withLock { (Array($0.entries.values), $0.inFlight) }
    }

    /// Removes and returns the entries that `isIncluded` accepts.
    func take(_ isIncluded: (Entry) -> Bool) -> [Entry] {
        state.withLock { state in
            let taken = state.entries.values.filter(isIncluded)
            for entry in taken { state.entries[entry.id] = nil }
            return taken
        }
    }

    /// A group of taken-up documents is on its way back to a claim...
    package func sending() { state.withLock { $0.inFlight += 1 } }
    /// ...and has been claimed (or found settled meanwhile).
    package func retried() { state.withLock { $0.inFlight -= 1 } }
}

extension QueueWorker {
    /// Claims registered sources by name alone (reindex's gone documents, to delete them): one
    /// another live worker holds is left to it.
    package func claim(_ sources: [String], fingerprint: String?) async throws -> ClaimOutcome {
        let taken = reserve(sources)
        let reserved = sources.filter { !taken.contains($0) }
        do {
            let outcome = try await queue.claimDocuments(reserved.map { DocumentRegistration(source: $0) }, fingerprint: fingerprint,
                                                         holder: id, lease: lease, run: nil)
            hold(outcome.claimed.map { (source: $0.key, id: $0.value.id) })
            letGo(reserved.filter { outcome.claimed[$0] == nil })
            return outcome
        } catch {
            letGo(reserved)
            throw error
        }
    }
}
