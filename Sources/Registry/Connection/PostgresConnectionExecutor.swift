import Foundation

/// The serial executor behind one `PostgresConnection`: a dedicated thread that runs the
/// connection actor's jobs one after another.
///
/// libpq calls block (network round trips, COPY); running them here keeps them off Swift's
/// cooperative thread pool, as STYLE.md requires. The thread ends when `stop(then:)` was called
/// and its queue is empty; the connection calls it from its `deinit`, when no job can arrive any
/// more.
package final class PostgresConnectionExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: every stored var is only read or written while holding `condition`,
    // and the thread is the only consumer of the queue.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var head = 0
    private var stopped = false
    private var thread: pthread_t?
    private var finalAction: @Sendable () -> Void = {}

    /// Waits until every executor thread has ended (see ``RegistryThreads``), or until `timeout`
    /// passed.
    /// - Returns: whether all threads ended.
    @discardableResult
    package static func waitForAllThreads(timeout: Duration) -> Bool {
        RegistryThreads.waitForAll(timeout: timeout)
    }

    /// Starts the executor's thread, named `name` for debuggers.
    package init(name: String) {
        RegistryThreads.start(name: name) { [self] in
            condition.lock()
            thread = pthread_self()
            condition.unlock()
            self.runLoop()
        }
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    package func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// True when the caller runs on this executor's thread.
    package var isCurrentThread: Bool {
        condition.lock()
        defer { condition.unlock() }
        return thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false
    }

    /// Lets the thread end once the jobs already queued have run; `finalAction` runs on the
    /// thread last of all.
    package func stop(then finalAction: @escaping @Sendable () -> Void = {}) {
        condition.lock()
        stopped = true
        self.finalAction = finalAction
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while let job = nextJob() {
            job.runSynchronously(on: asUnownedSerialExecutor())
        }
        condition.lock()
        let action = finalAction
        condition.unlock()
        action()
    }

    private func nextJob() -> UnownedJob? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count {
            if stopped { return nil }
            condition.wait()
        }
        let job = jobs[head]
        head += 1
        if head > 1024, head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }
}
