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
