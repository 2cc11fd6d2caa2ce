import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The threads the registry starts (one per connection, and short ones for cancel requests), so
/// that a process can wait until they have completely ended before it exits.
///
/// Completely matters. libpq hashes SCRAM passwords with OpenSSL, and OpenSSL keeps per-thread
/// state that a thread-exit handler frees after the thread's function has returned, while its
/// cleanup at process exit frees the same structures. A counter decremented at the end of the
/// thread's function left a window between the two: the process exited while a connection
/// thread was still running its exit handlers, and glibc aborted on a corrupted heap
/// (`malloc_consolidate(): unaligned fastbin chunk detected`, about once in 200 runs). Joining
/// the thread closes the window: `pthread_join` returns after the exit handlers ran.
enum RegistryThreads {
    private static let condition = NSCondition()
    // Guarded by `condition`.
    nonisolated(unsafe) private static var running = 0
    nonisolated(unsafe) private static var ended: [pthread_t] = []

    /// The closure a new thread runs, passed through pthread_create's context pointer.
    private final class Start {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts a joinable thread named `name` running `body`.
    /// Threads that ended earlier are joined first, so they hold no stack for long.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        joinEnded()
        condition.lock()
        running += 1
        condition.unlock()
        let context = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let result = pthread_create(&thread, nil, { context in
            let start = Unmanaged<Start>.fromOpaque(context!).takeRetainedValue()
            Thread.current.name = start.name
            start.body()
            RegistryThreads.threadEnded(pthread_self())
            return nil
        }, context)
        // Foundation's Thread stops the process in the same case: without a thread, a
        // connection has nowhere to run.
        precondition(result == 0, "graphingest: cannot start thread \(name): \(String(cString: strerror(result)))")
    }

    /// Waits until every thread started here has ended and been joined, or until `timeout`.
    /// - Returns: whether all of them ended in time.
    @discardableResult
    static func waitForAll(timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout / .seconds(1))
        condition.lock()
        var inTime = true
        while running > 0, inTime {
            inTime = condition.wait(until: deadline)
        }
        let allEnded = running == 0
        condition.unlock()
        joinEnded()
        return allEnded
    }

    private static func threadEnded(_ thread: pthread_t) {
        condition.lock()
        running -= 1
        ended.append(thread)
        condition.broadcast()
        condition.unlock()
    }

    /// Joins the threads whose function has returned (this waits only for their exit handlers).
    private static func joinEnded() {
        condition.lock()
        let threads = ended
        ended.removeAll()
        condition.unlock()
        for thread in threads { _ = pthread_join(thread, nil) }
    }
}
