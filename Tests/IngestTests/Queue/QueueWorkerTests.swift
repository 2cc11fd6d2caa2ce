@testable import Ingest
import Registry
import Synchronization
import Testing

/// A document as a test claims it: its registration alone.
struct ClaimedInTest: ClaimableDocument {
    var registration: DocumentRegistration

    init(_ source: String, sha256: String = "s1") {
        registration = DocumentRegistration(source: source, sha256: sha256)
    }
}

/// The queue worker against the in-memory queue, on the test clock: claims, documents set aside
/// and taken over (lease run out, holder dead), settled by their holder, renewals, duplicates.
@Suite(.timeLimit(.minutes(1))) struct QueueWorkerTests {
    let clock = TestClock()
    let queue: InMemoryRegistry
    let context: PipelineContext

    init() {
        queue = InMemoryRegistry(clock: clock)
        let tally = RunTally(progress: ProgressReporter(label: "test", enabled: false))
        context = PipelineContext(ledger: EntityLedger(), tally: tally,
                                  deadLetters: DeadLetterSink(registry: queue, runID: 7, label: "test", tally: tally),
                                  queues: PipelineQueues(), runID: 7)
    }

    func worker(_ id: String, lease: Duration = .seconds(30)) -> QueueWorker {
        QueueWorker(queue: queue, lease: lease, waitsForOthers: true, id: id, clock: clock)
    }

    /// Claims `sources` for `worker`, with a fresh set-aside list.
    func claim(_ sources: [String], by worker: QueueWorker, setAside: SetAsideDocuments<String> = SetAsideDocuments())
        async throws -> WorkerClaim<ClaimedInTest> {
        try await worker.claim(sources.map { ClaimedInTest($0) }, fingerprint: "f", setAside: setAside, payload: \.registration.source,
                               context: context)
    }

    /// Runs `waitForOthers` to its end, advancing the clock by `step` whenever the worker sleeps;
    /// returns what it took up, and when (on the test clock).
    func waitToTheEnd(_ worker: QueueWorker, _ setAside: SetAsideDocuments<String>, step: Duration = .seconds(1))
        async throws -> [(source: String, at: Duration)] {
        let takenUp = Mutex<[(source: String, at: Duration)]>([])
        let clock = self.clock
        let waiting = Task {
            try await worker.waitForOthers(setAside, context: context, idle: {}) { free in
                takenUp.withLock { taken in taken += free.map { ($0.source, clock.elapsed) } }
            }
        }
        let driver = Task {
            while !Task.isCancelled {
                try await clock.untilSomeoneSleeps()
                clock.advance(by: step)
            }
        }
        defer { driver.cancel() }
        try await waiting.value
        return takenUp.withLock { $0 }
    }

    @Test func aDocumentAnotherWorkerHoldsIsSetAsideAndTakenUpOnceItsLeaseRunsOut() async throws {
        _ = try await claim(["b"], by: worker("other"))
        let me = worker("me")
        let setAside = SetAsideDocuments<String>()
        let claimed = try await claim(["a", "b"], by: me, setAside: setAside)
        #expect(claimed.claimed.map(\.document.registration.source) == ["a"])
        #expect(setAside.count == 1)
        let takenUp = try await waitToTheEnd(me, setAside)
        #expect(takenUp.map(\.source) == ["b"])
        // Not before the other worker's 30 s lease ran out, and soon after (the pauses grow to
        // at most a second).
        let at = try #require(takenUp.first?.at)
        #expect(at >= .seconds(30) && at <= .seconds(32))
    }

    @Test func aDeadHoldersDocumentsAreTakenUpAtOnceNotAfterItsLease() async throws {
        _ = try await claim(["b", "c"], by: worker("other", lease: .seconds(120)))
        let me = worker("me")
        let setAside = SetAsideDocuments<String>()
        _ = try await claim(["a", "b", "c"], by: me, setAside: setAside)
        #expect(setAside.count == 2)
        queue.endLiveness(of: "other")
        let takenUp = try await waitToTheEnd(me, setAside)
        #expect(Set(takenUp.map(\.source)) == ["b", "c"])
        #expect(takenUp.allSatisfy { $0.at < .seconds(1) })
        // And the claim that follows gets them.
        let again = try await claim(["b", "c"], by: me)
        #expect(Set(again.claimed.map(\.document.registration.source)) == ["b", "c"])
    }

    @Test func documentsTheirHolderLoadsAreSettledAndNotTakenUp() async throws {
        let other = worker("other")
        let held = try await claim(["b"], by: other)
        let me = worker("me")
        let setAside = SetAsideDocuments<String>()
        _ = try await claim(["b"], by: me, setAside: setAside)
        let id = try #require(held.claimed.first?.registered.id)
        let loading = Task {
            try await clock.untilSomeoneSleeps()
            _ = try await queue.markLoaded([LoadedDocument(id: id, sha256: "s1", version: 1, fingerprint: "f", runID: 3)], holder: "other")
        }
        let takenUp = try await waitToTheEnd(me, setAside, step: .milliseconds(100))
        try await loading.value
        #expect(takenUp.isEmpty)
        #expect(context.tally.summary(seconds: 0).settledByOthers == 1)
        #expect(queue.document("b")?.status == "loaded")
    }

    @Test func aWorkerThatDoesNotWaitLeavesWhatOthersHold() async throws {
        _ = try await claim(["b"], by: worker("other"))
        let me = QueueWorker(queue: queue, lease: .seconds(30), waitsForOthers: false, id: "me", clock: clock)
        let setAside = SetAsideDocuments<String>()
        _ = try await claim(["b"], by: me, setAside: setAside)
        try await me.waitForOthers(setAside, context: context, idle: {}) { _ in Issue.record("took up a document") }
        #expect(setAside.count == 1)
    }

    @Test func aSourceTheWorkerHoldsAlreadyIsADuplicateAndKeepsTheFirst() async throws {
        let me = worker("me")
        let first = try await claim(["a"], by: me)
        #expect(first.claimed.count == 1)
        let second = try await me.claim([ClaimedInTest("a", sha256: "s2"), ClaimedInTest("b")], fingerprint: "f",
                                        setAside: SetAsideDocuments<String>(), payload: \.registration.source, context: context)
        #expect(second.duplicates == ["a"])
        #expect(second.claimed.map(\.document.registration.source) == ["b"])
        // Once the first is loaded by this run, the source is still the run's: a duplicate.
        let id = try #require(first.claimed.first?.registered.id)
        _ = try await queue.markLoaded([LoadedDocument(id: id, sha256: "s1", version: 1, fingerprint: "f", runID: 7)], holder: "me")
        me.letGo(["a"])
        let third = try await me.claim([ClaimedInTest("a", sha256: "s3")], fingerprint: "f", setAside: SetAsideDocuments<String>(),
                                       payload: \.registration.source, context: context)
        #expect(third.duplicates == ["a"])
        #expect(queue.document("a")?.sha256 == "s1")
    }

    @Test func aRunningWorkerRenewsItsLeasesAndGivesBackWhatItHoldsWhenItStops() async throws {
        let me = worker("me", lease: .seconds(30))
        try await me.run(command: "ingest", fingerprint: "f", fingerprintParts: [:]) {
            _ = try await claim(["a", "b"], by: me)
            #expect(queue.document("a")?.leaseUntil == TestClock.Instant(offset: .seconds(30)))
            // Every third of the lease: the leases, the heartbeat and the liveness.
            for turn in 1...3 {
                try await clock.untilSomeoneSleeps()
                clock.advance(by: .seconds(10))
                while queue.state.withLock({ $0.livenessChecks }) < turn { await Task.yield() }
            }
            #expect(queue.document("a")?.leaseUntil == TestClock.Instant(offset: .seconds(60)))
            #expect(queue.document("a")?.holder == "me")
            #expect(queue.state.withLock { $0.heartbeats } == 3)
            #expect(queue.state.withLock { $0.workers["me"] } != nil)
        }
        #expect(queue.document("a")?.status == "pending")
        #expect(queue.document("b")?.holder == nil)
        #expect(queue.state.withLock { $0.workers["me"] } == nil)
        #expect(me.heldCount == 0)
    }
}
