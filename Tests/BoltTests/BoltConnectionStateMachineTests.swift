@testable import Bolt
import NIOCore
import NIOEmbedded
import PackStream
import Testing

/// The state machine on its own: no channel, no socket.
@Suite struct BoltConnectionStateMachineTests {
    /// Completes every promise a test made, so none leaks.
    final class Promises {
        let loop = EmbeddedEventLoop()
        var all: [EventLoopPromise<BoltResponse>] = []
        deinit { for promise in all { promise.succeed(BoltResponse()) } }
    }

    let promises = Promises()

    func waiter() -> BoltResponseWaiter {
        let promise = promises.loop.makePromise(of: BoltResponse.self)
        promises.all.append(promise)
        return BoltResponseWaiter(promise: promise)
    }

    func ready(_ version: BoltVersion = BoltVersion(major: 5, minor: 4)) -> BoltConnectionStateMachine {
        var machine = BoltConnectionStateMachine(address: "test:7687")
        guard case .sendHandshake = machine.connected() else { Issue.record("no handshake"); return machine }
        guard case .sendHello(let chosen) = machine.handshakeReceived([0, 0, version.minor, version.major]) else {
            Issue.record("no hello"); return machine
        }
        #expect(chosen == version)
        machine.helloSent(logon: version >= BoltVersion(major: 5, minor: 1))
        if version >= BoltVersion(major: 5, minor: 1) {
            guard case .none = machine.messageReceived(.success(["server": "Test/1"])) else { Issue.record("hello"); return machine }
        }
        guard case .connected(_, let metadata) = machine.messageReceived(.success(["connection_id": "c1"])) else {
            Issue.record("not connected"); return machine
        }
        #expect(metadata["connection_id"] == "c1")
        return machine
    }

    func request(_ machine: inout BoltConnectionStateMachine, _ waiters: [BoltResponseWaiter], unit: Bool = false) -> ByteBuffer? {
        guard case .write(let bytes) = machine.requestWritten(BoltOutboundRequest(bytes: ByteBuffer(bytes: [1]), waiters: waiters, startsUnitOfWork: unit)) else {
            return nil
        }
        return bytes
    }

    @Test func fourFourNegotiationPutsAuthInHello() {
        let machine = ready(BoltVersion(major: 4, minor: 4))
        #expect(machine.version == BoltVersion(major: 4, minor: 4))
    }

    @Test func noCommonVersionListsWhatWasOffered() {
        var machine = BoltConnectionStateMachine(address: "test:7687")
        _ = machine.connected()
        guard case .failConnectAndClose(let error) = machine.handshakeReceived([0, 0, 0, 0]) else {
            Issue.record("expected failure"); return
        }
        #expect(error.code == .unsupportedVersion)
        #expect(error.description.contains("5.8-5.0") && error.description.contains("4.4") && error.description.contains("test:7687"))
    }

    @Test func authenticationFailure() {
        var machine = BoltConnectionStateMachine(address: "test:7687")
        _ = machine.connected()
        _ = machine.handshakeReceived([0, 0, 4, 5])
        machine.helloSent(logon: true)
        _ = machine.messageReceived(.success([:]))
        guard case .failConnectAndClose(let error) = machine.messageReceived(
            .failure(BoltServerFailure(code: "Neo.ClientError.Security.Unauthorized", message: "no"))) else {
            Issue.record("expected failure"); return
        }
        #expect(error.code == .authentication)
    }

    @Test func pipelinedRequestsCompleteInOrderWithRecords() {
        var machine = ready()
        let begin = waiter(), run = waiter(), pull = waiter()
        #expect(request(&machine, [begin, run, pull], unit: true) != nil)
        #expect(machine.pendingCount == 3)
        guard case .succeed(let first, _) = machine.messageReceived(.success([:])) else { Issue.record("begin"); return }
        #expect(first.promise.futureResult === begin.promise.futureResult)
        guard case .succeed(_, let runResponse) = machine.messageReceived(.success(["fields": ["x"]])) else { Issue.record("run"); return }
        #expect(runResponse.metadata["fields"] == ["x"])
        guard case .none = machine.messageReceived(.record([1])), case .none = machine.messageReceived(.record([2])) else {
            Issue.record("records"); return
        }
        guard case .succeed(_, let pullResponse) = machine.messageReceived(.success(["has_more": false])) else { Issue.record("pull"); return }
        #expect(pullResponse.records == [[1], [2]] && pullResponse.recordCount == 2)
        #expect(machine.pendingCount == 0)
    }

    @Test func failureThenIgnoredThenResetBeforeTheNextUnitOfWork() {
        var machine = ready()
        let run = waiter(), pull = waiter(), commit = waiter()
        _ = request(&machine, [run, pull])
        _ = request(&machine, [commit])
        guard case .fail(_, let error) = machine.messageReceived(
            .failure(BoltServerFailure(code: "Neo.ClientError.Statement.SyntaxError", message: "bad"))) else {
            Issue.record("run should fail"); return
        }
        #expect(error.serverCode == "Neo.ClientError.Statement.SyntaxError")
        // Everything already sent is IGNORED and fails with the original error.
        guard case .fail(_, let ignoredPull) = machine.messageReceived(.ignored),
              case .fail(_, let ignoredCommit) = machine.messageReceived(.ignored) else {
            Issue.record("ignored should fail"); return
        }
        #expect(ignoredPull.serverCode == error.serverCode && ignoredCommit.serverCode == error.serverCode)
        // A request that starts no unit of work goes out as is, and is ignored too.
        let late = waiter()
        #expect(request(&machine, [late]).map(Array.init) == [1])
        guard case .fail = machine.messageReceived(.ignored) else { Issue.record("late request ignored"); return }
        // The next unit of work gets RESET in front.
        let next = waiter()
        let bytes = request(&machine, [next], unit: true)
        #expect(bytes.map { Array($0.readableBytesView) } == BoltConnectionStateMachine.resetMessage + [1])
        guard case .none = machine.messageReceived(.success([:])) else { Issue.record("reset success"); return }
        guard case .succeed = machine.messageReceived(.success([:])) else { Issue.record("next"); return }
        // Ready again: no RESET in front of the one after.
        #expect(request(&machine, [waiter()], unit: true).map { Array($0.readableBytesView) } == [1])
    }

    @Test func connectionLossFailsEverythingOutstanding() {
        var machine = ready()
        _ = request(&machine, [waiter(), waiter()])
        guard case .failAllAndClose(let waiters, let error) = machine.channelClosed() else { Issue.record("close"); return }
        #expect(waiters.count == 2 && error.code == .connectionClosed && error.isRetryable)
        guard case .failRequests(let late, _) = machine.requestWritten(BoltOutboundRequest(bytes: ByteBuffer(), waiters: [waiter()], startsUnitOfWork: true)) else {
            Issue.record("late"); return
        }
        #expect(late.count == 1)
        for waiter in waiters + late { waiter.promise.fail(error) }
    }

    @Test func unexpectedMessagesCloseTheConnection() {
        var machine = ready()
        guard case .failAllAndClose(_, let error) = machine.messageReceived(.record([1])) else { Issue.record("record"); return }
        #expect(error.code == .protocolViolation)
    }

    static let syntaxError = BoltServerFailure(code: "Neo.ClientError.Statement.SyntaxError", message: "bad")

    func written(_ action: BoltConnectionStateMachine.Action) -> [UInt8]? {
        guard case .write(let bytes) = action else { return nil }
        return Array(bytes.readableBytesView)
    }

    @Test func rollbackOfAHealthyTransactionIsRollback() {
        var machine = ready()
        _ = request(&machine, [waiter(), waiter(), waiter()], unit: true)
        #expect(written(machine.rollbackRequested(waiter())) == BoltConnectionStateMachine.rollbackMessage)
        for _ in 0..<3 { _ = machine.messageReceived(.success([:])) }
        guard case .succeed = machine.messageReceived(.success([:])) else { Issue.record("rollback"); return }
        // Nothing failed: the next unit of work needs no RESET, and the pool takes it as it is.
        guard case .succeed = machine.releaseRequested(waiter()) else { Issue.record("idle release"); return }
    }

    @Test func rollbackAfterAFailureIsResetAndTheConnectionIsReadyAgain() {
        var machine = ready()
        let begin = waiter(), run = waiter(), pull = waiter()
        _ = request(&machine, [begin, run, pull], unit: true)
        _ = machine.messageReceived(.success([:]))
        guard case .fail(_, let error) = machine.messageReceived(.failure(Self.syntaxError)) else { Issue.record("run"); return }
        // The transaction failed: RESET instead of a ROLLBACK the server would IGNORE.
        let rollback = waiter()
        #expect(written(machine.rollbackRequested(rollback)) == BoltConnectionStateMachine.resetMessage)
        guard case .fail(_, let ignored) = machine.messageReceived(.ignored) else { Issue.record("pull ignored"); return }
        #expect(ignored.serverCode == error.serverCode)
        guard case .succeed(let answered, _) = machine.messageReceived(.success([:])) else { Issue.record("reset"); return }
        #expect(answered.promise.futureResult === rollback.promise.futureResult)
        // Ready: the next transaction goes out with no RESET in front, and a release sends nothing.
        #expect(written(machine.requestWritten(BoltOutboundRequest(bytes: ByteBuffer(bytes: [1]), waiters: [waiter()], startsUnitOfWork: true))) == [1])
        _ = machine.messageReceived(.success([:]))
        guard case .succeed = machine.releaseRequested(waiter()) else { Issue.record("idle release"); return }
    }

    @Test func releaseOfAFailedConnectionResets() {
        var machine = ready()
        _ = request(&machine, [waiter()], unit: true)
        _ = machine.messageReceived(.failure(Self.syntaxError))
        let release = waiter()
        #expect(written(machine.releaseRequested(release)) == BoltConnectionStateMachine.resetMessage)
        guard case .succeed(let answered, _) = machine.messageReceived(.success([:])) else { Issue.record("reset"); return }
        #expect(answered.promise.futureResult === release.promise.futureResult)
        guard case .succeed = machine.releaseRequested(waiter()) else { Issue.record("clean now"); return }
    }

    @Test func releaseWithAnswersOwedResetsAndAFailureBeforeTheResetIsCleared() {
        // An abandoned unit of work (its task was cancelled): answers are still owed.
        var machine = ready()
        _ = request(&machine, [waiter(), waiter()], unit: true)
        let release = waiter()
        #expect(written(machine.releaseRequested(release)) == BoltConnectionStateMachine.resetMessage)
        // The RUN sent before the RESET fails, its PULL is IGNORED with that error...
        guard case .fail = machine.messageReceived(.failure(Self.syntaxError)),
              case .fail(_, let ignored) = machine.messageReceived(.ignored) else {
            Issue.record("before the reset"); return
        }
        #expect(ignored.serverCode == Self.syntaxError.code)
        // ...and the RESET's SUCCESS leaves the connection ready: no second RESET is needed.
        guard case .succeed(let answered, _) = machine.messageReceived(.success([:])) else { Issue.record("reset"); return }
        #expect(answered.promise.futureResult === release.promise.futureResult)
        #expect(written(machine.requestWritten(BoltOutboundRequest(bytes: ByteBuffer(bytes: [1]), waiters: [waiter()], startsUnitOfWork: true))) == [1])
    }

    @Test func requestsInterruptedByResetFailAsClosedTransactions() {
        var machine = ready()
        _ = request(&machine, [waiter()], unit: true)
        _ = machine.releaseRequested(waiter())
        guard case .fail(_, let error) = machine.messageReceived(.ignored) else { Issue.record("ignored"); return }
        #expect(error.code == .transactionClosed)
    }

    @Test func closeSaysGoodbyeWhileUsableAndFailsWhatIsOwed() {
        var machine = ready()
        _ = request(&machine, [waiter()], unit: true)
        _ = machine.messageReceived(.failure(Self.syntaxError))
        // Failed is still usable: GOODBYE goes out (no RESET is needed before it).
        let owed = waiter()
        _ = machine.rollbackRequested(owed)
        guard case .sayGoodbyeAndClose(let waiters, let error) = machine.closeRequested() else { Issue.record("goodbye"); return }
        #expect(waiters.count == 1 && waiters[0].promise.futureResult === owed.promise.futureResult)
        #expect(error.code == .connectionClosed)
        guard case .none = machine.closeRequested() else { Issue.record("closed twice"); return }

        // A lost connection has nobody to say GOODBYE to.
        var lost = ready()
        _ = lost.channelClosed()
        guard case .none = lost.closeRequested() else { Issue.record("lost"); return }
        guard case .failRequests = lost.releaseRequested(waiter()) else { Issue.record("release of a lost connection"); return }
    }
}
