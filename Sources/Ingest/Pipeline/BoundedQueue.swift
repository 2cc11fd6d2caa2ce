import DequeModule
import Synchronization

/// A first-in first-out queue between pipeline stages, with a capacity: `send` suspends while the
/// queue is full, so a fast stage cannot run ahead of a slow one and memory stays flat however
/// large the corpus. Any number of producers and consumers; `finish` ends it once drained.
///
/// Failure: when a stage fails, `cancel()` wakes every waiting producer and consumer at once (the
/// elements still queued are dropped), so a pipeline's task group can end instead of waiting on
/// a stage that will never read again.
package final class BoundedQueue<Element: Sendable>: Sendable {
    private struct State: ~Copyable {
        var buffer = Deque<Element>()
        var waitingSenders = Deque<(Element, CheckedContinuation<Void, Never>)>()
        var waitingReceivers = Deque<CheckedContinuation<Element?, Never>>()
        var finished = false
        var cancelled = false
    }

    private enum SendStep {
        case resumeSender, handOver(CheckedContinuation<Element?, Never>), wait
    }

    private enum ReceiveStep {
        case element(Element, CheckedContinuation<Void, Never>?), end, wait
    }

    private let capacity: Int
    private let state = Mutex(State())

    package init(capacity: Int) {
        precondition(capacity > 0, "a bounded queue needs room for at least one element")
        self.capacity = capacity
    }

    /// Adds an element, waiting while the queue is full. Dropped when the queue was finished.
    package func send(_ element: Element) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let next: SendStep = state.withLock { state in
                if state.finished || state.cancelled { return .resumeSender }
                if let receiver = state.waitingReceivers.popFirst() { return .handOver(receiver) }
                if state.buffer.count < capacity {
                    state.buffer.append(element)
                    return .resumeSender
                }
                state.waitingSenders.append((element, continuation))
                return .wait
            }
            switch next {
            case .resumeSender:
                continuation.resume()
            case .handOver(let receiver):
                receiver.resume(returning: element)
                continuation.resume()
            case .wait:
                break
            }
        }
    }

    /// The next element, waiting while the queue is empty; nil once it is finished and drained.
    package func next() async -> Element? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
            let next: ReceiveStep = state.withLock { state in
                if state.cancelled { return .end }
                if let element = state.buffer.popFirst() {
                    // Room was made: move one waiting sender's element in.
                    if let (waiting, sender) = state.waitingSenders.popFirst() {
                        state.buffer.append(waiting)
                        return .element(element, sender)
                    }
                    return .element(element, nil)
                }
                if let (waiting, sender) = state.waitingSenders.popFirst() {
                    return .element(waiting, sender)
                }
                if state.finished { return .end }
                state.waitingReceivers.append(continuation)
                return .wait
            }
            switch next {
            case .element(let element, let sender):
                continuation.resume(returning: element)
                sender?.resume()
            case .end:
                continuation.resume(returning: nil)
            case .wait:
                break
            }
        }
    }

    /// No more elements will be sent: waiting receivers get nil once the buffer is drained.
    package func finish() {
        // Receivers only wait while nothing is buffered, so every waiting one gets the end.
        let receivers = state.withLock { state -> [CheckedContinuation<Element?, Never>] in
            state.finished = true
            defer { state.waitingReceivers.removeAll() }
            return Array(state.waitingReceivers)
        }
        for receiver in receivers { receiver.resume(returning: nil) }
    }

    /// Ends the queue now: waiting senders return (their elements dropped), waiting and later
    /// receivers get nil, later sends are dropped.
    package func cancel() {
        let (receivers, senders) = state.withLock { state in
            state.cancelled = true
            state.finished = true
            state.buffer.removeAll()
            defer {
                state.waitingReceivers.removeAll()
                state.waitingSenders.removeAll()
            }
            return (Array(state.waitingReceivers), state.waitingSenders.map(\.1))
        }
        for receiver in receivers { receiver.resume(returning: nil) }
        for sender in senders { sender.resume() }
    }
}
