#if canImport(Glibc)
import Glibc
#endif
@testable import Bolt
import NIOCore
import NIOPosix
import Testing

/// What a user reads when a connection cannot be opened: the address, the URI and the cause,
/// never NIO's types.
@Suite struct BoltConnectErrorTests {
    /// A loopback port nobody listens on (bound, then closed).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        return port
    }

    @Test func refusedConnectionSaysConnectionRefused() async throws {
        let port = try await Self.closedPort()
        let client = try BoltClient(uri: "bolt://127.0.0.1:\(port)", auth: .none)
        await #expect {
            try await client.verifyConnectivity()
        } throws: { error in
            guard let error = error as? BoltError else { return false }
            return error.code == .connectionFailed
                && error.description == "Bolt: cannot connect to 127.0.0.1:\(port) (bolt://127.0.0.1:\(port)): connection refused"
        }
        await client.shutdown()
    }

    /// Answers every connection with plain text, as a server without TLS would.
    final class PlainTextAnswer: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelActive(context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: "HTTP/1.1 400 Bad Request\r\n\r\n")), promise: nil)
        }
    }

    @Test func tlsToAPlainServerSaysTheHandshakeFailed() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(PlainTextAnswer()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let address = "127.0.0.1:\(try #require(server.localAddress?.port))"
        let client = try BoltClient(uri: "bolt+s://\(address)", auth: .none)
        await #expect {
            try await client.verifyConnectivity()
        } throws: { error in
            guard let error = error as? BoltError else { return false }
            return error.code == .tls
                && error.description.hasPrefix("Bolt: cannot connect to \(address) (bolt+s://\(address)): TLS handshake failed: ")
                && !error.description.contains("NIOSSL") && !error.description.contains("Error:")
        }
        await client.shutdown()
        try await server.close()
    }

    @Test func unknownHostSaysHostNotFound() async throws {
        // .invalid never resolves (RFC 6761).
        let client = try BoltClient(uri: "bolt://no-such-host.invalid:7687", auth: .none)
        await #expect {
            try await client.verifyConnectivity()
        } throws: { error in
            guard let error = error as? BoltError else { return false }
            return error.code == .connectionFailed && error.description
                == "Bolt: cannot connect to no-such-host.invalid:7687 (bolt://no-such-host.invalid:7687): host not found (no-such-host.invalid)"
        }
        await client.shutdown()
    }

    @Test func causesInWords() {
        #expect(BoltError.cause(of: ChannelError.connectTimeout(.seconds(3)), host: "db") == "timed out after 3 s")
        #expect(BoltError.cause(of: IOError(errnoCode: ECONNREFUSED, reason: "connect"), host: "db") == "connection refused")
        let error = BoltError.connectFailed(
            to: BoltAddress("db:7687")!, uri: "neo4j://router:7687", error: ChannelError.connectTimeout(.seconds(10)))
        #expect(error.code == .timeout)
        #expect(error.description == "Bolt: cannot connect to db:7687 (neo4j://router:7687): timed out after 10 s")
    }
}
