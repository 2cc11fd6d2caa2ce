@testable import Ingest
import Synchronization
import Testing

@Suite struct BoundedQueueTests {
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    @Test func everyElementReachesExactlyOneConsumer() async {
        let queue = BoundedQueue<Int>(capacity: 4)
        let received = await withTaskGroup(of: [Int].self) { group in
            for producer in 0..<3 {
                group.addTask {
                    for value in 0..<500 { await queue.send(producer * 1000 + value) }
                    return []
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    var mine: [Int] = []
                    while let value = await queue.next() { mine.append(value) }
                    return mine
                }
            }
            // Finish once the three producers are done (their results are empty arrays).
            var all: [Int] = []
            var producersDone = 0
            for await values in group {
                if values.isEmpty {
                    producersDone += 1
                    if producersDone == 3 { queue.finish() }
                } else {
                    all += values
                }
            }
            return all
        }
        #expect(received.count == 1500)
        #expect(Set(received).count == 1500)
    }

    @Test func senderWaitsWhileFull() async {
        let queue = BoundedQueue<Int>(capacity: 2)
        let sent = Counter()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for value in 0..<5 {
                    await queue.send(value)
                    sent.value.add(1, ordering: .relaxed)
                }
                queue.finish()
            }
            // Give the producer time to fill the queue; it must stop at the capacity.
            try? await Task.sleep(for: .milliseconds(100))
            #expect(sent.value.load(ordering: .relaxed) == 2)
            var order: [Int] = []
            while let value = await queue.next() { order.append(value) }
            #expect(order == [0, 1, 2, 3, 4])
        }
    }

    @Test func finishWakesWaitingConsumers() async {
        let queue = BoundedQueue<Int>(capacity: 1)
        await withTaskGroup(of: Int?.self) { group in
            group.addTask { await queue.next() }
            try? await Task.sleep(for: .milliseconds(50))
            queue.finish()
            for await value in group { #expect(value == nil) }
        }
    }

    @Test func cancelReleasesWaitingSendersAndReceivers() async {
        let full = BoundedQueue<Int>(capacity: 1)
        let empty = BoundedQueue<Int>(capacity: 1)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await full.send(1)
                await full.send(2) // waits: the queue is full and nobody reads
            }
            group.addTask { #expect(await empty.next() == nil) }
            try? await Task.sleep(for: .milliseconds(50))
            full.cancel()
            empty.cancel()
        }
        #expect(await full.next() == nil)
    }
}
