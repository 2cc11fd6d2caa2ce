import Synchronization

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
