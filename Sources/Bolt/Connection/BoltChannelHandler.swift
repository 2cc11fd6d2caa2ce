import NIOCore
import PackStream

/// The one channel handler of a Bolt connection: every event goes into the state machine, and
/// ``run(_:context:)`` performs the action it returns.
final class BoltChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = BoltFrame
    typealias OutboundIn = BoltOutbound
    typealias OutboundOut = ByteBuffer

    private var stateMachine: BoltConnectionStateMachine
    private let settings: BoltConnectionSettings
    private let connectPromise: EventLoopPromise<BoltConnectionInfo>
    private let decoder = PackStreamDecoder()
    private var closing = false
    /// When bytes last went out or came in: the response timeout counts from there.
    private var lastActivity = NIODeadline.now()

    init(settings: BoltConnectionSettings, address: String, connectPromise: EventLoopPromise<BoltConnectionInfo>) {
        self.settings = settings
        self.stateMachine = BoltConnectionStateMachine(address: address)
        self.connectPromise = connectPromise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { run(stateMachine.connected(), context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        run(stateMachine.connected(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        run(stateMachine.channelClosed(), context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let boltError: BoltError
        if let error = error as? BoltError {
            boltError = error
        } else if BoltTLS.isTLSError(error) {
            let stage = BoltTLS.isHandshakeError(error) ? "TLS handshake failed" : "TLS failed"
            boltError = BoltError(.tls, reason: "\(stage): \(BoltTLS.describe(error))", underlying: error)
        } else {
            boltError = BoltError(.connectionClosed, reason: "I/O error", underlying: error)
        }
        run(stateMachine.errorHappened(boltError.at(stateMachineAddress)), context: context)
    }

    private var stateMachineAddress: String { settings.address }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The response timeout: silence while answers are owed closes the connection.
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, stateMachine.pendingCount > 0,
           let timeout = settings.responseTimeout, NIODeadline.now() - lastActivity >= timeout {
            run(stateMachine.errorHappened(BoltError(.timeout, address: settings.address, reason: "no answer from the server in time")), context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        switch unwrapInboundIn(data) {
        case .handshakeResponse(let bytes):
            run(stateMachine.handshakeReceived(bytes), context: context)
        case .message(var body):
            let action: BoltConnectionStateMachine.Action
            do {
                action = stateMachine.messageReceived(try BoltServerMessage.decode(from: &body, decoder: decoder))
            } catch {
                action = stateMachine.decodingFailed(error)
            }
            run(action, context: context)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        lastActivity = .now()
        let action: BoltConnectionStateMachine.Action
        switch unwrapOutboundIn(data) {
        case .requests(let request): action = stateMachine.requestWritten(request)
        case .rollback(let waiter): action = stateMachine.rollbackRequested(waiter)
        case .reset(let waiter): action = stateMachine.resetRequested(waiter)
        case .release(let waiter): action = stateMachine.releaseRequested(waiter)
        }
        switch action {
        case .write(let bytes):
            context.write(wrapOutboundOut(bytes), promise: promise)
        case let action:
            promise?.succeed()
            run(action, context: context)
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all else {
            context.close(mode: mode, promise: promise)
            return
        }
        run(stateMachine.closeRequested(), context: context, closePromise: promise)
    }

    /// - Parameter closePromise: the promise of a close the API asked for; completed by the
    ///   action's close, or here when the action closes nothing.
    private func run(_ action: BoltConnectionStateMachine.Action, context: ChannelHandlerContext, closePromise: EventLoopPromise<Void>? = nil) {
        switch action {
        case .none:
            if let closePromise { closeChannel(context: context, promise: closePromise) }
        case .sendHandshake:
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: BoltHandshake.request)), promise: nil)
        case .sendHello(let version):
            var encoder = BoltRequestEncoder(buffer: context.channel.allocator.buffer(capacity: 256), version: version)
            encoder.hello(userAgent: settings.userAgent, auth: settings.auth, routing: settings.routingContext)
            let logon = version >= BoltVersion(major: 5, minor: 1)
            if logon { encoder.logon(auth: settings.auth) }
            stateMachine.helloSent(logon: logon)
            context.writeAndFlush(wrapOutboundOut(encoder.takeBuffer()), promise: nil)
        case .connected(let version, let metadata):
            connectPromise.succeed(BoltConnectionInfo(version: version, metadata: metadata))
        case .failConnectAndClose(let error):
            connectPromise.fail(error)
            closeChannel(context: context, promise: closePromise)
        case .write(let bytes):
            context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
        case .succeed(let waiter, let response):
            waiter.promise.succeed(response)
        case .fail(let waiter, let error):
            waiter.promise.fail(error)
        case .failAllAndClose(let waiters, let error):
            connectPromise.fail(error)
            for waiter in waiters { waiter.promise.fail(error) }
            closeChannel(context: context, promise: closePromise)
        case .sayGoodbyeAndClose(let waiters, let error):
            if !closing {
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: BoltConnectionStateMachine.goodbyeMessage)), promise: nil)
            }
            connectPromise.fail(error)
            for waiter in waiters { waiter.promise.fail(error) }
            closeChannel(context: context, promise: closePromise)
        case .failRequests(let waiters, let error):
            for waiter in waiters { waiter.promise.fail(error) }
            if let closePromise { closeChannel(context: context, promise: closePromise) }
        }
    }

    /// Closes once; a later close with a promise goes on to the channel, which completes it
    /// (or fails it as already closed).
    private func closeChannel(context: ChannelHandlerContext, promise: EventLoopPromise<Void>? = nil) {
        guard !closing || promise != nil else { return }
        closing = true
        context.close(promise: promise)
    }
}

/// What a connection needs to say hello.
struct BoltConnectionSettings: Sendable {
    var address: String
    var userAgent: String
    var auth: BoltAuth
    var routingContext: [String: String]?
    var responseTimeout: TimeAmount?
}

/// What the server told us while connecting.
struct BoltConnectionInfo: Sendable {
    var version: BoltVersion
    var metadata: [String: PackStreamValue]
}
