@testable import Ingest
import Registry
import Synchronization

/// The in-memory registry as the work queue too, with the claim protocol's rules (docs/design.md,
/// "The claim protocol") on the test clock: one live holder per document, a lease that runs out,
/// a holder whose liveness ended losing its documents at once.
extension InMemoryRegistry: WorkQueue {
    /// Whether a worker other than `holder` holds the document under a live lease.
    static func isHeldByAnother(_ document: Document, holder: String?, now: TestClock.Instant, in state: State) -> Bool {
        guard document.status == "indexing", let other = document.holder, other != holder else { return false }
        return !state.deadHolders.contains(other) && (document.leaseUntil.map { now < $0 } ?? false)
    }

    /// Ends a worker's liveness, as PostgreSQL does when its process dies.
    func endLiveness(of holder: String) {
        state.withLock { _ = $0.deadHolders.insert(holder) }
    }

    /// The document of `source` as the queue has it.
    func document(_ source: String) -> Document? {
        state.withLock { $0.documents[source] }
    }

    func unchangedSources(_ candidates: [ReindexCandidate], fingerprint: String?) async throws -> Set<String> {
        state.withLock { state in
            called("unchangedSources", &state)
            return Set(candidates.filter { candidate in
                guard let known = state.documents[candidate.source] else { return false }
                return known.status == "loaded" && known.sha256 == candidate.sha256 && known.fingerprint == fingerprint
            }.map(\.source))
        }
    }

    func recordFileFacts(_ facts: [FileFacts]) async throws -> Int { facts.count }

    func claimDocuments(_ documents: [DocumentRegistration], fingerprint: String?, holder: String, lease: Duration,
                        run: Int64?) async throws -> ClaimOutcome {
        let now = clock.now
        return state.withLock { state in
            called("claimDocuments", &state)
            var outcome = ClaimOutcome()
            for document in documents {
                if state.documents[document.source] == nil {
                    state.documents[document.source] = Document(id: state.nextID)
                    state.nextID += 1
                }
                let known = state.documents[document.source]!
                if known.status == "loaded" && known.sha256 == document.sha256 && known.fingerprint == fingerprint {
                    outcome.unchanged.insert(document.source)
                } else if Self.isHeldByAnother(known, holder: holder, now: now, in: state) {
                    outcome.heldByOthers[document.source] = known.id
                } else if known.status == "loaded" && run != nil && known.loadedRun == run {
                    outcome.loadedByRun.insert(document.source)
                } else {
                    state.documents[document.source]?.status = "indexing"
                    state.documents[document.source]?.holder = holder
                    state.documents[document.source]?.leaseUntil = now.advanced(by: lease)
                    outcome.claimed[document.source] = RegisteredDocument(id: known.id, version: known.version, loadedRun: known.loadedRun)
                }
            }
            return outcome
        }
    }

    func failClaimed(_ failures: [(source: String, error: String)], holder: String) async throws -> Int {
        state.withLock { state in
            called("failClaimed", &state)
            var failed = 0
            for failure in failures where state.documents[failure.source]?.status == "indexing" && state.documents[failure.source]?.holder == holder {
                state.documents[failure.source]?.status = "failed"
                state.documents[failure.source]?.error = failure.error
                state.documents[failure.source]?.holder = nil
                failed += 1
            }
            return failed
        }
    }

    func setAsideStates(_ documentIDs: [Int64], holder: String) async throws -> (held: Set<Int64>, free: Set<Int64>) {
        let now = clock.now
        return state.withLock { state in
            called("setAsideStates", &state)
            var held = Set<Int64>(), free = Set<Int64>()
            for document in state.documents.values where documentIDs.contains(document.id) {
                guard document.status == "pending" || document.status == "indexing" else { continue }
                if Self.isHeldByAnother(document, holder: holder, now: now, in: state) {
                    held.insert(document.id)
                } else {
                    free.insert(document.id)
                }
            }
            return (held, free)
        }
    }

    func renewLeases(_ documentIDs: [Int64], lease: Duration, holder: String?) async throws -> Int {
        let now = clock.now
        return state.withLock { state in
            called("renewLeases", &state)
            var renewed = 0
            for (source, document) in state.documents
            where documentIDs.contains(document.id) && document.status == "indexing" && (holder == nil || document.holder == holder) {
                state.documents[source]?.leaseUntil = now.advanced(by: lease)
                renewed += 1
            }
            return renewed
        }
    }

    func releaseLeases(holder: String) async throws -> Int {
        state.withLock { state in
            called("releaseLeases", &state)
            var released = 0
            for (source, document) in state.documents where document.status == "indexing" && document.holder == holder {
                state.documents[source]?.status = "pending"
                state.documents[source]?.holder = nil
                state.documents[source]?.leaseUntil = nil
                released += 1
            }
            return released
        }
    }

    func startWorker(_ worker: WorkerRegistration) async throws -> [WorkerRecord] {
        state.withLock { state in
            called("startWorker", &state)
            state.workers[worker.id] = worker
            return []
        }
    }

    func heartbeat(workerID: String) async throws {
        state.withLock { $0.heartbeats += 1 }
    }

    func finishWorker(workerID: String) async throws {
        state.withLock { state in
            called("finishWorker", &state)
            state.workers[workerID] = nil
        }
    }

    func withLiveness<T: Sendable>(workerID: String, _ body: (any WorkerLiveness) async throws -> T) async throws -> T {
        try await body(Liveness(registry: self))
    }

    /// The liveness of a worker of this queue: counts the checks.
    struct Liveness: WorkerLiveness {
        let registry: InMemoryRegistry

        func keepHeld() async throws {
            registry.state.withLock { $0.livenessChecks += 1 }
        }
    }
}
