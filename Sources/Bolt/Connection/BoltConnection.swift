import NIOCore
import NIOPosix
import PackStream

/// One open, authenticated Bolt connection. Most code uses ``BoltClient`` and sessions instead;
/// a connection serves one unit of work at a time.
public final class BoltConnection: Sendable {
    /// The negotiated protocol version.
    public let version: BoltVersion
    /// The server's address.
    public let address: BoltAddress
    /// The server's agent string from HELLO (e.g. `Neo4j/5.20.0`).
    public let serverAgent: String?
    /// The server's id for this connection.
    public let connectionId: String?
    /// Whether temporal values go in the 4.4 legacy forms (4.4 without the `utc` patch).
    let usesLegacyDateTime: Bool
    let channel: any Channel

    private init(channel: any Channel, address: BoltAddress, info: BoltConnectionInfo) {
        self.channel = channel
        self.address = address
        self.version = info.version
        self.serverAgent = info.metadata["server"]?.stringValue
        self.connectionId = info.metadata["connection_id"]?.stringValue
        let patches = info.metadata["patch_bolt"]?.listValue?.compactMap(\.stringValue) ?? []
        self.usesLegacyDateTime = info.version < BoltVersion(major: 5, minor: 0) && !patches.contains("utc")
    }

    /// Whether the connection can still be used.
    public var isOpen: Bool { channel.isActive }

    /// Opens a connection: TCP (and TLS), handshake, HELLO and LOGON.
    ///
    /// - Throws: ``BoltError`` with `.connectionFailed`, `.tls`, `.timeout`, `.unsupportedVersion`
    ///   or `.authentication`, naming the address.
    public static func connect(
        to address: BoltAddress, configuration: BoltConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> BoltConnection {
        let eventLoop = eventLoopGroup.next()
        let connectPromise = eventLoop.makePromise(of: BoltConnectionInfo.self)
        let responseTimeout = configuration.responseTimeout.map {
            TimeAmount.nanoseconds(Int64($0.components.seconds) * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000)
        }
        let settings = BoltConnectionSettings(
            address: address.description, userAgent: configuration.userAgent, auth: configuration.auth,
            routingContext: configuration.routingContext(for: address), responseTimeout: responseTimeout)
        let tls = configuration.tls
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(.nanoseconds(Int64(configuration.connectTimeout.components.seconds) * 1_000_000_000
                + configuration.connectTimeout.components.attoseconds / 1_000_000_000))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try BoltTLS.addHandler(tls, host: address.host, to: channel)
                    }
                    if let responseTimeout {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: responseTimeout))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoltFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(
                        BoltChannelHandler(settings: settings, address: address.description, connectPromise: connectPromise))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: address.host, port: address.port).get()
        } catch {
            connectPromise.fail(error)
            throw BoltError.connectFailed(to: address, uri: configuration.uri, error: error)
        }
        let handshakeTimeout = configuration.connectTimeout.components.seconds + 1
        let timeout = eventLoop.scheduleTask(in: .seconds(handshakeTimeout)) {
            connectPromise.fail(BoltError(.timeout, address: address.description,
                                          reason: "no answer to the handshake or HELLO within \(handshakeTimeout) s"))
            channel.close(promise: nil)
        }
        do {
            let info = try await connectPromise.futureResult.get()
            timeout.cancel()
            return BoltConnection(channel: channel, address: address, info: info)
        } catch let error as BoltError where error.code == .authentication || error.code == .unsupportedVersion
            || error.code == .server || error.code == .protocolViolation {
            // The server answered: its own words name the problem.
            timeout.cancel()
            channel.close(promise: nil)
            throw error.at(address.description)
        } catch {
            // TLS failed, the server closed the socket or never answered: opening failed.
            timeout.cancel()
            channel.close(promise: nil)
            throw BoltError.connectFailed(to: address, uri: configuration.uri, error: error)
        }
    }

    /// Writes requests in one flush and returns one future per message, in order.
    ///
    /// The encoding runs here, in the caller's task, so parameter rows need not cross threads.
    package func send(
        _ count: Int, startsUnitOfWork: Bool, keepsRecords: [Bool]? = nil, _ encode: (inout BoltRequestEncoder) throws -> Void
    ) rethrows -> [EventLoopFuture<BoltResponse>] {
        var encoder = BoltRequestEncoder(version: version, usesLegacyDateTime: usesLegacyDateTime)
        try encode(&encoder)
        let eventLoop = channel.eventLoop
        var waiters: [BoltResponseWaiter] = []
        waiters.reserveCapacity(count)
        for index in 0..<count {
            waiters.append(BoltResponseWaiter(promise: eventLoop.makePromise(), keepsRecords: keepsRecords?[index] ?? true))
        }
        let written = eventLoop.makePromise(of: Void.self)
        let allWaiters = waiters
        let address = self.address.description
        written.futureResult.whenFailure { error in
            // The handler never saw the request (channel already gone): nobody else will answer.
            let boltError = BoltError(.connectionClosed, address: address, reason: "connection is closed", underlying: error)
            for waiter in allWaiters { waiter.promise.fail(boltError) }
        }
        let request = BoltOutboundRequest(bytes: encoder.takeBuffer(), waiters: waiters, startsUnitOfWork: startsUnitOfWork)
        channel.writeAndFlush(BoltOutbound.requests(request), promise: written)
        return waiters.map(\.promise.futureResult)
    }

    /// Hands the channel a request whose message the state machine picks, and waits for its answer.
    private func control(_ outbound: (BoltResponseWaiter) -> BoltOutbound) async throws -> BoltResponse {
        let waiter = BoltResponseWaiter(promise: channel.eventLoop.makePromise())
        let written = channel.eventLoop.makePromise(of: Void.self)
        let address = self.address.description
        written.futureResult.whenFailure { error in
            waiter.promise.fail(BoltError(.connectionClosed, address: address, reason: "connection is closed", underlying: error))
        }
        channel.writeAndFlush(outbound(waiter), promise: written)
        return try await waiter.promise.futureResult.get()
    }

    /// Ends the open transaction: ROLLBACK, or RESET when a FAILURE already ended it on the
    /// server (which would IGNORE a ROLLBACK).
    package func rollback() async throws {
        _ = try await control(BoltOutbound.rollback)
    }

    /// Makes the connection clean for its next user: RESET when it failed or still owes answers,
    /// nothing when it is idle.
    package func prepareForReuse() async throws {
        _ = try await control(BoltOutbound.release)
    }

    /// Sends one message and waits for its response.
    package func request(startsUnitOfWork: Bool = false, _ encode: (inout BoltRequestEncoder) -> Void) async throws -> BoltResponse {
        try await send(1, startsUnitOfWork: startsUnitOfWork, encode)[0].get()
    }

    /// Sends RESET: clears a failure and ends any open transaction on the server.
    public func reset() async throws {
        _ = try await control(BoltOutbound.reset)
    }

    /// Says GOODBYE and closes the socket.
    public func close() async {
        try? await channel.close().get()
    }
}
