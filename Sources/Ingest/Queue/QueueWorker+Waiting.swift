import Logging
import Registry

extension QueueWorker {
    /// After a producer's main pass: waits until each document set aside is settled by its
    /// holder (loaded, failed, deleted: nothing more to do) or free to take up (its holder died or
    /// gave it back, or its lease ran out); the free ones go to `takeUp`, which reads them again
    /// for a new claim. Returns when none is left, or at once when the worker does not wait
    /// (`--no-wait`).
    ///
    /// Before each pause it calls `idle`, where the producer asks the commit stage to commit its
    /// open batch: other processes may be waiting for those documents as this one waits for
    /// theirs.
    package func waitForOthers<Payload>(
        _ setAside: SetAsideDocuments<Payload>, context: PipelineContext,
        idle: () async -> Void, takeUp: ([SetAsideDocuments<Payload>.Entry]) async throws -> Void
    ) async throws {
        guard waitsForOthers else { return }
        var backoff = WaitBackoff(lease: lease)
        var announced = false
        while true {
            let (entries, inFlight) = setAside.snapshot()
            if entries.isEmpty && inFlight == 0 { return }
            let states = entries.isEmpty ? (held: [], free: []) : try await queue.setAsideStates(entries.map(\.id), holder: id)
            // Settled by their holders (loaded, failed, deleted): nothing to do.
            let settled = setAside.take { !states.held.contains($0.id) && !states.free.contains($0.id) }
            context.tally.settledByOthers(settled.count)
            backoff.next(progressed: !settled.isEmpty)
            let free = setAside.take { states.free.contains($0.id) }
            if !states.held.isEmpty && !announced {
                logger.info("waiting for documents other workers hold", metadata: ["documents": "\(states.held.count)"])
                announced = true
            }
            context.tally.heldByOthers(setAside.count)
            if free.isEmpty {
                await idle()
                // Idle only once this worker's own documents are committed: until then the
                // pause overlaps its commits.
                if heldCount == 0 {
                    try await context.tally.time(.waitForOthers) { try await clock.sleep(for: backoff.pause) }
                } else {
                    try await clock.sleep(for: backoff.pause)
                }
                continue
            }
            logger.info("taking up documents set aside", metadata: ["documents": "\(free.count)"])
            try await takeUp(free)
        }
    }
}

/// The pauses between looks at the documents set aside: short while the others are finishing
/// (their last documents land within a commit or two), longer ones, up to a second (or a quarter
/// of the lease), while nothing changes (a lease of a stopped worker running out). The end comes
/// a few tens of milliseconds after the last document rather than up to a second, at the cost of
/// a few more reads while it nears.
struct WaitBackoff {
    let shortest: Duration
    let longest: Duration
    private(set) var pause: Duration

    init(lease: Duration) {
        longest = min(.seconds(1), lease / 4)
        shortest = min(.milliseconds(50), longest)
        pause = shortest
    }

    /// The pause after a look that did (`progressed`) or did not find documents settled.
    mutating func next(progressed: Bool) {
        pause = progressed ? shortest : min(pause * 2, longest)
    }
}
