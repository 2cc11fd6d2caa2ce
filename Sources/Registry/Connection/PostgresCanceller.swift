import CLibPQ
import Foundation

/// Cancels the statement a connection is running when the task that asked for it is cancelled.
///
/// libpq's `PQcancel` is the one call documented as safe from another thread; it opens its own
/// short connection to the server, so it is sent from a thread of its own rather than from the
/// cooperative pool. A request counts only while an operation runs (`begin`/`end`), so a late
/// cancellation does not hit the next operation's statement.
package final class PostgresCanceller: @unchecked Sendable {
    // @unchecked Sendable: `cancel`, `running` and `generation` are only touched under `lock`.
    private let lock = NSLock()
    private var cancel: OpaquePointer?
    private var running = false
    private var generation = 0

    package init() {}

    deinit {
        if let cancel { PQfreeCancel(cancel) }
    }

    /// Takes the cancel key of a freshly opened (or reset) connection.
    func attach(_ connection: OpaquePointer?) {
        let fresh = connection.flatMap { PQgetCancel($0) }
        lock.lock()
        let old = cancel
        cancel = fresh
        lock.unlock()
        if let old { PQfreeCancel(old) }
    }

    /// An operation starts on the connection thread.
    func begin() {
        lock.lock()
        running = true
        generation += 1
        lock.unlock()
    }

    /// The operation ended.
    func end() {
        lock.lock()
        running = false
        lock.unlock()
    }

    /// Asks the server to cancel the running statement, if the operation that was running when
    /// the request came is still running.
    package func requestCancel() {
        lock.lock()
        let target = running ? generation : nil
        lock.unlock()
        guard let target else { return }
        RegistryThreads.start(name: "graphingest-pqc") { [self] in
            lock.lock()
            defer { lock.unlock() }
            guard running, generation == target, let cancel else { return }
            var message = [CChar](repeating: 0, count: 256)
            _ = PQcancel(cancel, &message, Int32(message.count))
        }
    }
}
