@testable import Bolt
import NIOCore
import NIOEmbedded
import PackStream
import Testing

/// The handler in an EmbeddedChannel: bytes in, bytes out, no socket.
@Suite struct BoltChannelHandlerTests {
    static func message(_ tag: UInt8, _ fields: [PackStreamValue]) -> ByteBuffer {
        var body = PackStreamWriter()
        body.writeStructureHeader(tag: tag, fieldCount: fields.count)
        for field in fields { body.write(field) }
        var buffer = ByteBuffer()
        BoltChunkWriter().writeMessage(body.bytes, into: &buffer)
        return buffer
    }

    /// Reads the tags of the chunked messages written so far.
    static func writtenTags(_ channel: EmbeddedChannel) throws -> [UInt8] {
        var tags: [UInt8] = []
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            var decoder = BoltFrameDecoder(expectsHandshake: false)
            while case .message(var body)? = try decoder.decode(buffer: &buffer) {
                tags.append(try PackStreamDecoder().decodeStructureHeader(from: &body).tag)
            }
        }
        return tags
    }

    @Test func handshakeHelloLogonThenAFailedRequest() throws {
        let channel = EmbeddedChannel()
        let connected = channel.eventLoop.makePromise(of: BoltConnectionInfo.self)
        let settings = BoltConnectionSettings(address: "embedded:7687", userAgent: "graphingest/test", auth: .basic(user: "u", password: "p"), routingContext: nil)
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoltFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(BoltChannelHandler(settings: settings, address: "embedded:7687", connectPromise: connected))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7687)).wait()

        let handshake = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(handshake.readableBytesView) == BoltHandshake.request)

        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 4, 5]))
        #expect(try Self.writtenTags(channel) == [BoltRequestEncoder.Tag.hello, BoltRequestEncoder.Tag.logon])
        try channel.writeInbound(Self.message(0x70, [["server": "Embedded/1"]]))
        try channel.writeInbound(Self.message(0x70, [[:]]))
        let info = try connected.futureResult.wait()
        #expect(info.version == BoltVersion(major: 5, minor: 4))
        #expect(info.metadata["server"] == "Embedded/1")

        // A pipelined RUN and PULL: the RUN fails, the PULL is ignored with the same error.
        var encoder = BoltRequestEncoder(version: info.version)
        encoder.run("RETURN $x", parameters: ["x": 1], configuration: nil)
        encoder.pull(10)
        let run = channel.eventLoop.makePromise(of: BoltResponse.self)
        let pull = channel.eventLoop.makePromise(of: BoltResponse.self)
        try channel.writeOutbound(BoltOutbound.requests(BoltOutboundRequest(
            bytes: encoder.takeBuffer(), waiters: [BoltResponseWaiter(promise: run), BoltResponseWaiter(promise: pull)], startsUnitOfWork: true)))
        #expect(try Self.writtenTags(channel) == [BoltRequestEncoder.Tag.run, BoltRequestEncoder.Tag.pull])
        try channel.writeInbound(Self.message(0x7F, [["code": "Neo.ClientError.Statement.SyntaxError", "message": "bad"]]))
        try channel.writeInbound(Self.message(0x7E, []))
        #expect(throws: BoltError.self) { try run.futureResult.wait() }
        #expect { try pull.futureResult.wait() } throws: { ($0 as? BoltError)?.serverCode == "Neo.ClientError.Statement.SyntaxError" }

        // The next unit of work goes out behind a RESET.
        encoder.begin(BoltTransactionConfiguration())
        let begin = channel.eventLoop.makePromise(of: BoltResponse.self)
        try channel.writeOutbound(BoltOutbound.requests(BoltOutboundRequest(bytes: encoder.takeBuffer(), waiters: [BoltResponseWaiter(promise: begin)], startsUnitOfWork: true)))
        #expect(try Self.writtenTags(channel) == [BoltRequestEncoder.Tag.reset, BoltRequestEncoder.Tag.begin])
        try channel.writeInbound(Self.message(0x70, [[:]]))
        try channel.writeInbound(Self.message(0x70, [[:]]))
        _ = try begin.futureResult.wait()

        // Closing says GOODBYE first.
        try channel.close().wait()
        #expect(try Self.writtenTags(channel) == [BoltRequestEncoder.Tag.goodbye])
    }

    @Test func garbageFromTheServerClosesWithAProtocolError() throws {
        let channel = EmbeddedChannel()
        let connected = channel.eventLoop.makePromise(of: BoltConnectionInfo.self)
        let settings = BoltConnectionSettings(address: "embedded:7687", userAgent: "t", auth: .none, routingContext: nil)
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BoltFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(BoltChannelHandler(settings: settings, address: "embedded:7687", connectPromise: connected))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7687)).wait()
        try channel.writeInbound(ByteBuffer(bytes: [0, 0, 4, 5]))
        try channel.writeInbound(ByteBuffer(bytes: [0x00, 0x02, 0xB1, 0xEE, 0x00, 0x00]))
        #expect { try connected.futureResult.wait() } throws: { ($0 as? BoltError)?.code == .protocolViolation }
        #expect(!channel.isActive)
    }
}
