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
        // A rollback (not a new unit of work) goes out as is, and is ignored too.
        let rollback = waiter()
        #expect(request(&machine, [rollback]).map(Array.init) == [1])
        guard case .fail = machine.messageReceived(.ignored) else { Issue.record("rollback ignored"); return }
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
}
