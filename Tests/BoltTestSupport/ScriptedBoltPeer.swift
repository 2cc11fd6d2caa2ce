// Only PackStream's values appear in the peer's API; importing the rest internally keeps NIO's C
// modules out of the test targets' files (a file that imports Glibc would otherwise see
// `sockaddr_in` as CNIOLinux's).
internal import Bolt
internal import NIOCore
internal import NIOPosix
package import PackStream
internal import Synchronization

/// A Bolt server in the test process (127.0.0.1, a free port) that answers from a script: for
/// what no real server here shows (routing, a cut connection, a transient failure on COMMIT).
///
/// It behaves as a server must after a FAILURE: everything is IGNORED until RESET. HELLO, LOGON,
/// RESET and GOODBYE are answered by default; the script answers the rest.
///
/// A test-support target of its own, so that GraphStore's tests can drive `GraphDatabase` through
/// it as Bolt's tests drive `BoltClient`.
package final class ScriptedBoltPeer: Sendable {
    package struct Request: Sendable, CustomStringConvertible {
        package var tag: UInt8
        package var fields: [PackStreamValue]
        package var connection: Int

        package var name: String {
            switch tag {
            case 0x01: return "HELLO"
            case 0x02: return "GOODBYE"
            case 0x0F: return "RESET"
            case 0x10: return "RUN"
            case 0x11: return "BEGIN"
            case 0x12: return "COMMIT"
            case 0x13: return "ROLLBACK"
            case 0x2F: return "DISCARD"
            case 0x3F: return "PULL"
            case 0x66: return "ROUTE"
            case 0x6A: return "LOGON"
            case 0x6B: return "LOGOFF"
            default: return "0x" + String(tag, radix: 16)
            }
        }

        package var description: String { name }
    }

    package enum Reply: Sendable {
        case success([String: PackStreamValue])
        case record([PackStreamValue])
        case failure(code: String, message: String)
        case ignored
        /// Close the connection at this point.
        case close
    }

    package typealias Script = @Sendable (Request) -> [Reply]

    private let state = Mutex<(requests: [Request], connections: Int, closed: Int)>(([], 0, 0))
    private let channel: any Channel
    package let port: Int

    /// The address to put in a URI or a routing table.
    package var address: String { "127.0.0.1:\(port)" }

    /// Everything the peer received, in order.
    package var requests: [Request] { state.withLock { $0.requests } }

    /// The names of the requests received (HELLO, LOGON, RUN...).
    package var requestNames: [String] { requests.map(\.name) }

    /// How many connections the peer has seen close.
    package var closedConnections: Int { state.withLock { $0.closed } }

    /// Waits until `count` connections have closed (the client's close returns before the peer
    /// has read the last bytes and the end of the stream); false after `timeout`.
    package func waitUntilClosed(_ count: Int, timeout: Duration = .seconds(10)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while closedConnections < count {
            guard ContinuousClock.now < deadline else { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    /// - Parameters:
    ///   - version: the handshake answer (`[0, 0, minor, major]`).
    ///   - agent: the `server` field of the SUCCESS answering HELLO.
    ///   - script: answers to everything but HELLO, LOGON, RESET and GOODBYE.
    package init(version: [UInt8] = [0, 0, 4, 5], agent: String = "Scripted/1.0", script: @escaping Script) async throws {
        let box = PeerBox()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let index = box.peer!.state.withLock { state in
                        state.connections += 1
                        return state.connections
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        PeerHandler(version: version, agent: agent, connection: index, script: script) { request in
                            box.peer?.state.withLock { $0.requests.append(request) }
                        } closed: {
                            box.peer?.state.withLock { $0.closed += 1 }
                        })
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        self.channel = channel
        self.port = channel.localAddress!.port!
        box.peer = self
    }

    package func stop() async {
        try? await channel.close().get()
    }

    /// An address where nothing listens, so a connection to it is refused: a port the system
    /// handed out and that was closed again at once.
    package static func refusingAddress() async throws -> String {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close().get()
        return "127.0.0.1:\(port)"
    }

    /// The SUCCESS answering ROUTE with a routing table of these servers (Bolt's `rt` map, see
    /// https://neo4j.com/docs/bolt/current/bolt/message/#messages-route).
    package static func routingTable(routers: [String], writers: [String], readers: [String], ttl: Int = 300) -> Reply {
        let servers: [(String, [String])] = [("ROUTE", routers), ("WRITE", writers), ("READ", readers)]
        return .success(["rt": .map(["ttl": .integer(Int64(ttl)), "servers": .list(servers.map { role, addresses in
            .map(["role": .string(role), "addresses": .list(addresses.map(PackStreamValue.string))])
        })])])
    }

    /// Lets the child initializer reach the peer once it exists (set before any connection).
    private final class PeerBox: @unchecked Sendable {
        // Written once in init before the first connection can be accepted by a test, read after.
        weak var peer: ScriptedBoltPeer?
    }

    private final class PeerHandler: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        let version: [UInt8]
        let agent: String
        let connection: Int
        let script: Script
        let record: (Request) -> Void
        let closed: () -> Void
        var buffer = ByteBuffer()
        var handshaken = false
        var failed = false
        var frames = BoltFrameDecoder(expectsHandshake: false)

        init(version: [UInt8], agent: String, connection: Int, script: @escaping Script, record: @escaping (Request) -> Void,
             closed: @escaping () -> Void) {
            self.version = version
            self.agent = agent
            self.connection = connection
            self.script = script
            self.record = record
            self.closed = closed
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed()
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var incoming = unwrapInboundIn(data)
            buffer.writeBuffer(&incoming)
            if !handshaken {
                guard buffer.readableBytes >= 20 else { return }
                buffer.moveReaderIndex(forwardBy: 20)
                handshaken = true
                context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: version)), promise: nil)
                if version == [0, 0, 0, 0] {
                    context.close(promise: nil)
                    return
                }
            }
            while let frame = try? frames.decode(buffer: &buffer), case .message(var body) = frame {
                guard let (tag, count) = try? PackStreamDecoder().decodeStructureHeader(from: &body) else { return }
                var fields: [PackStreamValue] = []
                for _ in 0..<count { fields.append((try? PackStreamDecoder().decode(from: &body)) ?? .null) }
                let request = Request(tag: tag, fields: fields, connection: connection)
                record(request)
                if !answer(request, context: context) { return }
            }
        }

        /// Writes the replies; false when the connection was closed.
        private func answer(_ request: Request, context: ChannelHandlerContext) -> Bool {
            let replies: [Reply]
            switch request.name {
            case "HELLO": replies = [.success(["server": .string(agent), "connection_id": .string("bolt-\(connection)")])]
            case "LOGON": replies = [.success([:])]
            case "GOODBYE": replies = [.close]
            case "RESET":
                failed = false
                replies = [.success([:])]
            default: replies = failed ? [.ignored] : script(request)
            }
            var out = ByteBuffer()
            for reply in replies {
                var body = PackStreamWriter()
                switch reply {
                case .success(let metadata):
                    body.writeStructureHeader(tag: 0x70, fieldCount: 1)
                    body.writeMap(metadata)
                case .record(let values):
                    body.writeStructureHeader(tag: 0x71, fieldCount: 1)
                    body.write(.list(values))
                case .failure(let code, let message):
                    failed = true
                    body.writeStructureHeader(tag: 0x7F, fieldCount: 1)
                    body.writeMap(["code": .string(code), "message": .string(message)])
                case .ignored:
                    body.writeStructureHeader(tag: 0x7E, fieldCount: 0)
                case .close:
                    context.writeAndFlush(wrapOutboundOut(out), promise: nil)
                    context.close(promise: nil)
                    return false
                }
                BoltChunkWriter().writeMessage(body.bytes, into: &out)
            }
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            return true
        }
    }
}
