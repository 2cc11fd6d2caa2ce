import Registry

/// The registry's work queue as a worker sees it: which documents need work, claims under a
/// lease, and the worker's registration and liveness (``RegistryStore`` in production, an
/// in-memory queue in tests).
///
/// Several processes on several machines share one corpus through it: a claim gives each
/// document to one live worker at a time; a worker that stops gives back what it holds, and one
/// that dies loses its documents to the others as soon as its liveness ends (or, when that cannot
/// be told, when its lease runs out). See docs/design.md, "The claim protocol".
package protocol WorkQueue: Sendable {
    /// Of `candidates`, the sources loaded with the same content and extractor fingerprint:
    /// nothing to do for them.
    func unchangedSources(_ candidates: [ReindexCandidate], fingerprint: String?) async throws -> Set<String>
    /// Records new file facts (size, modification time) of documents found unchanged, so that
    /// the next reindex judges them by `stat` alone again.
    func recordFileFacts(_ facts: [FileFacts]) async throws -> Int
    /// Claims the documents for `holder` under `lease`; registers those not known yet. Those
    /// `run` loaded already are left as they are (``ClaimOutcome/loadedByRun``).
    func claimDocuments(_ documents: [DocumentRegistration], fingerprint: String?, holder: String,
                        lease: Duration, run: Int64?) async throws -> ClaimOutcome
    /// Marks claimed documents that failed before any commit (unreadable, extraction failed) as
    /// failed, with their reasons.
    func failClaimed(_ failures: [(source: String, error: String)], holder: String) async throws -> Int
    /// Of documents a worker set aside, those another live worker still holds and those free to
    /// take up; the rest were settled by their holder.
    func setAsideStates(_ documentIDs: [Int64], holder: String) async throws -> (held: Set<Int64>, free: Set<Int64>)
    /// Extends the leases of the documents `holder` still holds.
    func renewLeases(_ documentIDs: [Int64], lease: Duration, holder: String?) async throws -> Int
    /// Gives back every document `holder` still holds.
    func releaseLeases(holder: String) async throws -> Int
    /// Registers a running worker; returns the running workers that extract with another
    /// fingerprint (the caller refuses to start beside them).
    func startWorker(_ worker: WorkerRegistration) async throws -> [WorkerRecord]
    /// Records that the worker is still running.
    func heartbeat(workerID: String) async throws
    /// Records that the worker stopped.
    func finishWorker(workerID: String) async throws
    /// Runs `body` while the worker's liveness is held: when the process dies, it ends with it.
    func withLiveness<T: Sendable>(workerID: String, _ body: (any WorkerLiveness) async throws -> T) async throws -> T
}

/// A worker's liveness while it runs (``WorkQueue/withLiveness(workerID:_:)``).
package protocol WorkerLiveness: Sendable {
    /// Checks the liveness is still held, and takes it again when it was lost.
    func keepHeld() async throws
}

extension RegistryLivenessLock: WorkerLiveness {}

extension RegistryStore: WorkQueue {
    package func unchangedSources(_ candidates: [ReindexCandidate], fingerprint: String?) async throws -> Set<String> {
        Set(try await classify(candidates, fingerprint: fingerprint).unchanged.map(\.source))
    }

    package func withLiveness<T: Sendable>(workerID: String, _ body: (any WorkerLiveness) async throws -> T) async throws -> T {
        try await withLivenessLock(workerID: workerID) { try await body($0) }
    }
}
