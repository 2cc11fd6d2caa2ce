import NIOCore
import PackStream

/// The life of one Bolt connection, with no I/O: each method says what happened and returns the
/// ``Action`` the channel handler must perform.
///
/// Responses arrive in the order requests were sent, so outstanding requests are a queue. After
/// a FAILURE the server IGNOREs everything until it gets RESET: the machine stays in `failed`,
/// failing every IGNORED request with the original error (so a COMMIT after a failed RUN reports
/// that RUN's error). It leaves `failed` the way Neo4j's drivers do: a rollback of the failed
/// transaction goes out as RESET (a ROLLBACK would only be IGNORED), a connection going back to
/// the pool is RESET unless it is idle, and the next unit of work gets a RESET in front if none
/// was sent yet. Closing a usable connection says GOODBYE first.
/// See https://neo4j.com/docs/bolt/current/bolt/server-state/.
package struct BoltConnectionStateMachine {
    private enum State {
        case initialized
        case handshaking
        /// HELLO (and LOGON) sent; the server's HELLO metadata is kept for the connect result.
        case authenticating(version: BoltVersion, hello: [String: PackStreamValue])
        case ready(version: BoltVersion)
        /// A FAILURE came in; IGNOREs carry this error until a RESET succeeds.
        case failed(version: BoltVersion, error: BoltError)
        /// RESET sent, not yet answered: every response before its SUCCESS answers a request sent
        /// before it. `error` is the FAILURE that IGNOREs carry (nil when the RESET went out from
        /// `ready`, e.g. for a cancelled unit of work).
        case resetting(version: BoltVersion, error: BoltError?)
        case closing
        case closed
    }

    /// One outstanding request.
    private enum Pending {
        case hello
        case logon
        /// A RESET; the waiter is nil for the one this machine puts in front of a unit of work.
        case reset(BoltResponseWaiter?)
        case request(BoltResponseWaiter)
    }

    /// What the handler must do.
    package enum Action {
        case none
        /// Write the magic and the version proposals.
        case sendHandshake
        /// Write HELLO (and LOGON from 5.1 on) for this version, then call ``helloSent(logon:)``.
        case sendHello(BoltVersion)
        /// The connection is ready: complete the connect with the server's HELLO metadata.
        case connected(version: BoltVersion, metadata: [String: PackStreamValue])
        /// Connecting failed: fail the connect and close the channel.
        case failConnectAndClose(BoltError)
        /// Write these bytes and flush.
        case write(ByteBuffer)
        /// Complete a request.
        case succeed(BoltResponseWaiter, BoltResponse)
        /// Fail a request.
        case fail(BoltResponseWaiter, BoltError)
        /// Fail all these requests and close the channel (connection lost or protocol broken).
        case failAllAndClose([BoltResponseWaiter], BoltError)
        /// Write GOODBYE, fail all these requests and close the channel (closing on purpose).
        case sayGoodbyeAndClose([BoltResponseWaiter], BoltError)
        /// Fail requests that arrive after the connection closed.
        case failRequests([BoltResponseWaiter], BoltError)
    }

    private var state: State = .initialized
    private var pending = CircularBuffer<Pending>(initialCapacity: 8)
    private var records: [[PackStreamValue]] = []
    private var recordCount = 0
    private let address: String

    /// - Parameter address: the server's `host:port`, named in errors.
    package init(address: String) {
        self.address = address
    }

    /// The negotiated version, once known.
    package var version: BoltVersion? {
        switch state {
        case .authenticating(let version, _), .ready(let version), .failed(let version, _), .resetting(let version, _):
            return version
        default: return nil
        }
    }

    /// Whether requests can still be written.
    package var isUsable: Bool {
        switch state {
        case .ready, .failed, .resetting: return true
        default: return false
        }
    }

    /// The bytes of RESET (a structure with no fields, in one chunk).
    package static let resetMessage: [UInt8] = [0x00, 0x02, 0xB0, 0x0F, 0x00, 0x00]
    /// The bytes of ROLLBACK, likewise.
    package static let rollbackMessage: [UInt8] = [0x00, 0x02, 0xB0, 0x13, 0x00, 0x00]
    /// The bytes of GOODBYE, likewise.
    package static let goodbyeMessage: [UInt8] = [0x00, 0x02, 0xB0, 0x02, 0x00, 0x00]

    /// How many responses are outstanding.
    package var pendingCount: Int { pending.count }

    /// The TCP (and TLS) connection is up.
    package mutating func connected() -> Action {
        guard case .initialized = state else { return .none }
        state = .handshaking
        return .sendHandshake
    }

    /// The server answered the version proposals.
    package mutating func handshakeReceived(_ bytes: [UInt8]) -> Action {
        guard case .handshaking = state else { return protocolViolation("handshake answer out of place") }
        guard let version = BoltHandshake.version(fromResponse: bytes), BoltHandshake.offers(version) else {
            state = .closing
            let offered = BoltHandshake.proposals.map { proposal in
                proposal.range == 0 ? "\(proposal.version)"
                    : "\(proposal.version.major).\(proposal.version.minor)-\(proposal.version.major).\(proposal.version.minor - proposal.range)"
            }
            let answer = bytes.map { String($0, radix: 16) }.joined(separator: " ")
            return .failConnectAndClose(BoltError(
                .unsupportedVersion, address: address,
                reason: "server accepted none of the versions offered (\(offered.joined(separator: ", "))); it answered \(answer)"))
        }
        state = .authenticating(version: version, hello: [:])
        return .sendHello(version)
    }

    /// HELLO (and LOGON when `logon`) were written.
    package mutating func helloSent(logon: Bool) {
        pending.append(.hello)
        if logon { pending.append(.logon) }
    }

    /// The API wrote requests: queue their waiters and pass the bytes on.
    package mutating func requestWritten(_ request: BoltOutboundRequest) -> Action {
        switch state {
        case .failed(let version, let error) where request.startsUnitOfWork:
            state = .resetting(version: version, error: error)
            pending.append(.reset(nil))
            for waiter in request.waiters { pending.append(.request(waiter)) }
            var bytes = ByteBuffer(bytes: Self.resetMessage)
            var requestBytes = request.bytes
            bytes.writeBuffer(&requestBytes)
            return .write(bytes)
        case .ready, .failed, .resetting:
            for waiter in request.waiters { pending.append(.request(waiter)) }
            return .write(request.bytes)
        default:
            return .failRequests(request.waiters, notOpenError)
        }
    }

    /// The API ends the open transaction: ROLLBACK while it is healthy; RESET once a FAILURE came
    /// in (the server would IGNORE a ROLLBACK, and RESET ends the transaction as well).
    package mutating func rollbackRequested(_ waiter: BoltResponseWaiter) -> Action {
        switch state {
        case .ready:
            pending.append(.request(waiter))
            return .write(ByteBuffer(bytes: Self.rollbackMessage))
        case .failed, .resetting:
            return writeReset(waiter)
        default:
            return .failRequests([waiter], notOpenError)
        }
    }

    /// The API asks for RESET (clear a failure, end any transaction, interrupt a stream).
    package mutating func resetRequested(_ waiter: BoltResponseWaiter) -> Action {
        guard isUsable else { return .failRequests([waiter], notOpenError) }
        return writeReset(waiter)
    }

    /// The connection is going back to the pool: an idle one goes as it is; one that failed or
    /// still owes answers (a cancelled or abandoned unit of work) is RESET first, so the next
    /// user gets a clean connection.
    package mutating func releaseRequested(_ waiter: BoltResponseWaiter) -> Action {
        if case .ready = state, pending.isEmpty { return .succeed(waiter, BoltResponse()) }
        return resetRequested(waiter)
    }

    private mutating func writeReset(_ waiter: BoltResponseWaiter) -> Action {
        switch state {
        case .ready(let version):
            state = .resetting(version: version, error: nil)
        case .failed(let version, let error):
            state = .resetting(version: version, error: error)
        default:
            break  // already resetting: this RESET answers after the first one
        }
        pending.append(.reset(waiter))
        return .write(ByteBuffer(bytes: Self.resetMessage))
    }

    private var notOpenError: BoltError {
        BoltError(.connectionClosed, address: address, reason: "connection is not open")
    }

    /// A message (other than the handshake answer) arrived.
    package mutating func messageReceived(_ message: BoltServerMessage) -> Action {
        switch message {
        case .record(let fields):
            guard case .request(let waiter) = pending.first else { return protocolViolation("RECORD without a PULL") }
            recordCount += 1
            if waiter.keepsRecords { records.append(fields) }
            return .none
        case .success(let metadata):
            return successReceived(metadata)
        case .failure(let failure):
            return failureReceived(failure)
        case .ignored:
            return ignoredReceived()
        }
    }

    private mutating func successReceived(_ metadata: [String: PackStreamValue]) -> Action {
        guard let head = pending.popFirst() else { return protocolViolation("SUCCESS with no request outstanding") }
        switch (head, state) {
        case (.hello, .authenticating(let version, _)):
            if case .logon = pending.first {
                state = .authenticating(version: version, hello: metadata)
                return .none
            }
            state = .ready(version: version)
            return .connected(version: version, metadata: metadata)
        case (.logon, .authenticating(let version, let hello)):
            state = .ready(version: version)
            return .connected(version: version, metadata: hello.merging(metadata) { first, _ in first })
        case (.reset(let waiter), .resetting(let version, _)), (.reset(let waiter), .ready(let version)),
             (.reset(let waiter), .failed(let version, _)):
            // Also from `ready` or `failed`: a second RESET queued behind the first one.
            state = .ready(version: version)
            guard let waiter else { return .none }
            return .succeed(waiter, BoltResponse(metadata: metadata))
        case (.request(let waiter), .ready), (.request(let waiter), .resetting), (.request(let waiter), .failed):
            // While resetting, this answers a request sent before the RESET; the state waits for
            // the RESET's own SUCCESS.
            let response = BoltResponse(records: records, recordCount: recordCount, metadata: metadata)
            records = []
            recordCount = 0
            return .succeed(waiter, response)
        default:
            return protocolViolation("SUCCESS out of place")
        }
    }

    private mutating func failureReceived(_ failure: BoltServerFailure) -> Action {
        guard let head = pending.popFirst() else { return protocolViolation("FAILURE with no request outstanding") }
        records = []
        recordCount = 0
        let error = BoltError(.server, serverCode: failure.code, serverMessage: failure.message, address: address)
        switch (head, state) {
        case (.hello, .authenticating), (.logon, .authenticating):
            state = .closing
            let code: BoltError.Code = failure.code.hasPrefix("Neo.ClientError.Security.") ? .authentication : .server
            return .failConnectAndClose(BoltError(code, serverCode: failure.code, serverMessage: failure.message, address: address))
        case (.request(let waiter), .ready(let version)), (.request(let waiter), .failed(let version, _)):
            state = .failed(version: version, error: error)
            return .fail(waiter, error)
        case (.request(let waiter), .resetting(let version, _)):
            // A request sent before the RESET failed: the RESET already queued clears it, and the
            // IGNOREs until then carry this error.
            state = .resetting(version: version, error: error)
            return .fail(waiter, error)
        default:
            return closeWithError(BoltError(.protocolViolation, serverCode: failure.code, serverMessage: failure.message,
                                            address: address, reason: "FAILURE in answer to RESET"))
        }
    }

    private mutating func ignoredReceived() -> Action {
        guard let head = pending.popFirst() else { return protocolViolation("IGNORED with no request outstanding") }
        records = []
        recordCount = 0
        switch (head, state) {
        case (.request(let waiter), .failed(_, let error)):
            return .fail(waiter, error)
        case (.request(let waiter), .resetting(_, let error?)):
            return .fail(waiter, error)
        case (.request(let waiter), .resetting(_, nil)):
            // IGNORED because our RESET interrupted it: the unit of work was abandoned.
            return .fail(waiter, BoltError(.transactionClosed, address: address, reason: "request interrupted by RESET"))
        case (.request(let waiter), _):
            return .fail(waiter, BoltError(.transactionClosed, address: address, reason: "server ignored the request"))
        default:
            return protocolViolation("IGNORED in answer to HELLO, LOGON or RESET")
        }
    }

    /// Bytes from the server did not decode.
    package mutating func decodingFailed(_ error: PackStreamError) -> Action {
        closeWithError(BoltError(.protocolViolation, address: address, reason: error.description, underlying: error))
    }

    /// The channel reported an error (I/O, TLS).
    package mutating func errorHappened(_ error: BoltError) -> Action {
        closeWithError(error)
    }

    /// We are closing on purpose: a usable connection says GOODBYE first, so the server frees
    /// its session at once instead of noticing a dropped socket.
    package mutating func closeRequested() -> Action {
        let usable = isUsable
        let action = closeWithError(BoltError(.connectionClosed, address: address, reason: "connection closed by the client"))
        guard usable, case .failAllAndClose(let waiters, let error) = action else { return action }
        return .sayGoodbyeAndClose(waiters, error)
    }

    /// The channel went inactive.
    package mutating func channelClosed() -> Action {
        closeWithError(BoltError(.connectionClosed, address: address, reason: "server closed the connection"))
    }

    private mutating func protocolViolation(_ reason: String) -> Action {
        closeWithError(BoltError(.protocolViolation, address: address, reason: reason))
    }

    private mutating func closeWithError(_ error: BoltError) -> Action {
        let previous = state
        state = .closed
        var waiters: [BoltResponseWaiter] = []
        while let entry = pending.popFirst() {
            switch entry {
            case .request(let waiter), .reset(let waiter?): waiters.append(waiter)
            case .hello, .logon, .reset(nil): break
            }
        }
        records = []
        switch previous {
        case .initialized, .handshaking, .authenticating:
            return .failConnectAndClose(error)
        case .closed:
            return waiters.isEmpty ? .none : .failRequests(waiters, error)
        default:
            return .failAllAndClose(waiters, error)
        }
    }
}
