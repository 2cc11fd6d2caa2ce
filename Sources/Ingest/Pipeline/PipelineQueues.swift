import Synchronization

/// The queues of one pipeline run, so that a failing stage can end them all at once: every
/// other stage then stops waiting (on a full or an empty queue) and the task group can end.
package final class PipelineQueues: Sendable {
    private let cancellers = BoundedQueueCancellers()

    package init() {}

    /// A new queue of the run.
    package func make<Element: Sendable>(_: Element.Type = Element.self, capacity: Int) -> BoundedQueue<Element> {
        let queue = BoundedQueue<Element>(capacity: capacity)
        cancellers.add { queue.cancel() }
        return queue
    }

    /// Cancels every queue made so far (and any made later).
    package func cancelAll() {
        cancellers.cancelAll()
    }
}


/// The cancel actions of a run's queues.
private final class BoundedQueueCancellers: Sendable {
    private struct State {
        var actions: [@Sendable () -> Void] = []
        var cancelled = false
    }
    private let state = Mutex(State())

    func add(_ action: @escaping @Sendable () -> Void) {
        let cancelNow = state.withLock { state -> Bool in
            state.actions.append(action)
            return state.cancelled
        }
        if cancelNow { action() }
    }

    func cancelAll() {
        let actions = state.withLock { state -> [@Sendable () -> Void] in
            state.cancelled = true
            return state.actions
        }
        for action in actions { action() }
    }
}

extension ThrowingTaskGroup where ChildTaskResult == Void, Failure == any Error {
    /// Adds a pipeline stage: when it fails, every queue of the run is cancelled so the other
    /// stages end too (they would otherwise wait forever on a stage that stopped), then the error
    /// propagates out of the group.
    mutating func addStage(_ queues: PipelineQueues, _ body: @escaping @Sendable () async throws -> Void) {
        addTask {
            do {
                try await body()
            } catch {
                queues.cancelAll()
                throw error
            }
        }
    }
}

/// Calls `action` once `done()` has been called `count` times (the last of several workers
/// finishes their shared output queue).
final class Countdown: Sendable {
    private let remaining: Mutex<Int>
    private let action: @Sendable () -> Void

    init(_ count: Int, action: @escaping @Sendable () -> Void) {
        self.remaining = Mutex(count)
        self.action = action
    }

    func done() {
        let last = remaining.withLock { value -> Bool in
            value -= 1
            return value == 0
        }
        if last { action() }
    }
}
