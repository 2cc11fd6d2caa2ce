import Synchronization

/// An async mutual-exclusion lane: at most one task at a time runs inside `run`, the others wait
/// in arrival order without blocking a thread.
///
/// Used to serialize the graph writes that touch shared Entity nodes (entities and MENTIONS), so
/// concurrent writers do not keep failing each other with deadlock errors.
package final class AsyncLane: Sendable {
    private struct State: Sendable {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    package init() {}

    /// Runs `body` once no other task is inside the lane.
    package func run<Result>(_ body: () async throws -> Result) async rethrows -> Result {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enteredNow = state.withLock { state in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if enteredNow {
                continuation.resume()
            }
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
