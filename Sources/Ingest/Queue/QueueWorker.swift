import CoreMetrics
import Foundation
import Logging
import Registry
import Synchronization

/// This process as one worker of the registry's work queue, beside any others on this machine
/// or elsewhere (`ingest` and `reindex` run as many processes over one corpus).
///
/// A worker claims documents under a lease (``WorkQueue/claimDocuments(_:fingerprint:holder:lease:run:)``),
/// renews the leases of those it still holds every third of the lease while it runs, lets go of
/// each as it is loaded or fails, and gives back what it still holds when it stops. It holds its
/// liveness for as long as it runs (``WorkQueue/withLiveness(workerID:_:)``): when its process
/// dies, PostgreSQL ends its session and releases the lock, and other workers take its documents
/// over at once; the lease bounds what a lock cannot tell (a session the server has not yet seen
/// die). Claiming, setting aside and waiting for others are in `QueueWorker+Claims.swift` and
/// `QueueWorker+Waiting.swift`.
package final class QueueWorker: Sendable {
    package let queue: any WorkQueue
    /// `host:pid:start`: what the registry's `lease_holder` and `workers.id` say.
    package let id: String
    package let lease: Duration
    /// Whether the worker waits, at the end, for documents other workers hold.
    package let waitsForOthers: Bool
    /// What the renewals and the waits sleep on (a test clock in tests).
    package let clock: any Clock<Duration>
    /// The sources this worker holds, or is claiming (no id yet): one document of a source at a
    /// time, so a corpus that holds a source twice keeps the first.
    private let holdings = Mutex([String: Int64?]())
    /// Where the worker's events go (its command's label).
    package let logger: Logger
    /// Where the worker reports how many documents it holds (`graphingest_documents_held`): the
    /// worker's own figure, since its holdings outlive a run (it gives them back after the run).
    private let metrics: IngestMetrics

    package init(queue: any WorkQueue, lease: Duration, waitsForOthers: Bool, id: String = QueueWorker.makeID(),
                 clock: any Clock<Duration> = ContinuousClock(), logger: Logger = Logger(label: "graphingest"),
                 metrics: IngestMetrics = IngestMetrics()) {
        self.logger = logger
        self.metrics = metrics
        self.queue = queue
        self.lease = lease
        self.waitsForOthers = waitsForOthers
        self.id = id
        self.clock = clock
    }

    /// A worker id unique across machines and restarts: host, pid and start time.
    package static func makeID() -> String {
        "\(hostName):\(getpid()):\(Int64(Date().timeIntervalSince1970 * 1000))"
    }

    /// This machine's name.
    package static var hostName: String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown-host" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Reserves the sources for a claim; returns those this worker holds or claims already.
    func reserve(_ sources: [String]) -> Set<String> {
        holdings.withLock { holdings in
            var taken = Set<String>()
            for source in sources {
                if holdings[source] != nil {
                    taken.insert(source)
                } else {
                    holdings[source] = .some(nil)
                }
            }
            return taken
        }
    }

    /// Records reserved sources as held, with their ids (after a claim).
    func hold(_ documents: some Sequence<(source: String, id: Int64)>) {
        let count = holdings.withLock { holdings in
            for document in documents { holdings[document.source] = .some(document.id) }
            return holdings.count
        }
        metrics.documentsHeld.record(count)
    }

    /// Records the sources as no longer held or reserved (loaded, failed, given back, or not
    /// claimed after all).
    package func letGo(_ sources: some Sequence<String>) {
        let count = holdings.withLock { holdings in
            for source in sources { holdings[source] = nil }
            return holdings.count
        }
        metrics.documentsHeld.record(count)
    }

    /// How many documents the worker holds or claims now.
    package var heldCount: Int { holdings.withLock { $0.count } }

    /// The ids of the documents held now.
    var heldIDs: [Int64] { holdings.withLock { $0.values.compactMap { $0 } } }

    /// Runs `body` as a registered worker: refuses (a configuration error, exit 2) when a
    /// running worker extracts with another fingerprint, renews leases and the worker's heartbeat
    /// while `body` runs, and gives back what it still holds when `body` ends, however it ends.
    package func run<T: Sendable>(command: String, fingerprint: String, fingerprintParts: [String: String],
                                  _ body: @Sendable () async throws -> T) async throws -> T {
        let registration = WorkerRegistration(id: id, host: Self.hostName, pid: getpid(), command: command, fingerprint: fingerprint,
                                              fingerprintParts: fingerprintParts, lease: lease, holdsLivenessLock: true)
        return try await queue.withLiveness(workerID: id) { liveness in
            let conflicting = try await queue.startWorker(registration)
            if let other = conflicting.first {
                throw IngestError(.configuration, "refusing to start: " + Self.difference(mine: fingerprintParts, theirs: other))
            }
            logger.info("worker started", metadata: ["worker": "\(id)", "lease_seconds": "\(lease.seconds)"])
            do {
                let result = try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await self.renewWhileRunning(liveness) }
                    defer { group.cancelAll() }
                    return try await body()
                }
                try await stop()
                return result
            } catch {
                try? await stop()
                throw error
            }
        }
    }

    private func stop() async throws {
        let released = try await queue.releaseLeases(holder: id)
        try await queue.finishWorker(workerID: id)
        holdings.withLock { $0.removeAll() }
        metrics.documentsHeld.record(0)
        logger.info("worker stopped", metadata: ["worker": "\(id)", "released": "\(released)"])
    }

    /// Renews the leases held, the heartbeat and the liveness lock's session, every third of the
    /// lease until cancelled. A failed renewal is tried again at the next turn (the commit that
    /// needs the registry reports the outage).
    private func renewWhileRunning(_ liveness: any WorkerLiveness) async {
        let interval = lease / 3
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: interval)
            } catch {
                return
            }
            let ids = heldIDs
            do {
                if !ids.isEmpty {
                    let renewed = try await queue.renewLeases(ids, lease: lease, holder: id)
                    if renewed < ids.count {
                        // Loaded or failed meanwhile, or (after a stall longer than the lease)
                        // taken over by another worker.
                        logger.debug("renewed fewer leases than held", metadata: ["held": "\(ids.count)", "renewed": "\(renewed)"])
                    }
                }
                try await queue.heartbeat(workerID: id)
                try await liveness.keepHeld()
            } catch {
                logger.warning("cannot renew leases: \(error)", metadata: ["worker": "\(id)", "held": "\(ids.count)"])
            }
        }
    }

    /// What differs between this worker's extraction and another running worker's, for the
    /// refusal's message.
    static func difference(mine: [String: String], theirs other: WorkerRecord) -> String {
        let names = Set(mine.keys).union(other.fingerprintParts.keys).sorted()
        let differing = names.filter { mine[$0] != other.fingerprintParts[$0] }.map { name in
            "\(name) \(Self.short(mine[name])) here, \(Self.short(other.fingerprintParts[name])) there"
        }
        let what = differing.isEmpty ? "the extractor fingerprint differs" : differing.joined(separator: "; ")
        return "worker \(other.id) (\(other.command), seen \(Int(-other.seenAt.timeIntervalSinceNow)) s ago) extracts this corpus differently: \(what)"
    }

    private static func short(_ value: String?) -> String {
        guard let value else { return "(none)" }
        return value.count > 16 && value.allSatisfy(\.isHexDigit) ? String(value.prefix(12)) : value
    }
}
