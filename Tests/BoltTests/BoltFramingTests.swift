@testable import Bolt
import NIOCore
import NIOEmbedded
import NIOTestUtils
import PackStream
import Testing

/// Chunking both ways, decoded with the input split at every byte.
@Suite struct BoltFramingTests {
    static func chunked(_ body: [UInt8], maximumChunkSize: Int = 65_535) -> ByteBuffer {
        var buffer = ByteBuffer()
        body.withUnsafeBytes { BoltChunkWriter(maximumChunkSize: maximumChunkSize).writeMessage($0, into: &buffer) }
        return buffer
    }

    @Test func smallMessageIsOneChunk() {
        #expect(Array(Self.chunked([0xB0, 0x0F]).readableBytesView) == [0x00, 0x02, 0xB0, 0x0F, 0x00, 0x00])
        #expect(Array(Self.chunked([]).readableBytesView) == [0x00, 0x00])  // nothing to send: only the end marker
    }

    @Test(arguments: [65_535, 65_536, 131_070, 200_000])
    func largeMessagesSplitAtTheLimit(size: Int) {
        let body = (0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var buffer = Self.chunked(body)
        var joined: [UInt8] = []
        var chunkSizes: [Int] = []
        while true {
            let chunk = Int(buffer.readInteger(endianness: .big, as: UInt16.self)!)
            if chunk == 0 { break }
            chunkSizes.append(chunk)
            joined += buffer.readBytes(length: chunk)!
        }
        #expect(buffer.readableBytes == 0)
        #expect(joined == body)
        #expect(chunkSizes.allSatisfy { $0 <= 65_535 })
        #expect(chunkSizes.dropLast().allSatisfy { $0 == 65_535 })
    }

    @Test func decoderSplitAtEveryByte() throws {
        // Two messages: one in three small chunks (limit 4), one NOOP between them, one plain.
        var input = Self.chunked([1, 2, 3, 4, 5, 6, 7, 8, 9], maximumChunkSize: 4)
        input.writeBytes([0x00, 0x00])  // NOOP
        input.writeImmutableBuffer(Self.chunked([0xB1, 0x70, 0xA0]))
        let expected: [BoltFrame] = [
            .handshakeResponse([0, 0, 4, 5]),
            .message(ByteBuffer(bytes: [1, 2, 3, 4, 5, 6, 7, 8, 9])),
            .message(ByteBuffer(bytes: [0xB1, 0x70, 0xA0])),
        ]
        // The verifier feeds one decoder the input many times: without the handshake it repeats.
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(input, Array(expected.dropFirst()))]) {
            BoltFrameDecoder(expectsHandshake: false)
        }
    }

    @Test func handshakeAnswerThenMessagesByteByByte() throws {
        var input = ByteBuffer(bytes: [0, 0, 4, 5])
        input.writeImmutableBuffer(Self.chunked([0xB0, 0x7E], maximumChunkSize: 1))
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(BoltFrameDecoder()))
        for byte in input.readableBytesView { try channel.writeInbound(ByteBuffer(bytes: [byte])) }
        #expect(try channel.readInbound(as: BoltFrame.self) == .handshakeResponse([0, 0, 4, 5]))
        #expect(try channel.readInbound(as: BoltFrame.self) == .message(ByteBuffer(bytes: [0xB0, 0x7E])))
        #expect(try channel.readInbound(as: BoltFrame.self) == nil)
        _ = try channel.finish()
    }

    @Test func requestEncoderVectors() throws {
        var encoder = BoltRequestEncoder(version: BoltVersion(major: 5, minor: 4))
        encoder.pull(1000)
        #expect(Array(encoder.takeBuffer().readableBytesView) == [0x00, 0x08, 0xB1, 0x3F, 0xA1, 0x81, 0x6E, 0xC9, 0x03, 0xE8, 0x00, 0x00])
        encoder.pull(-1, queryId: 3)
        #expect(Array(encoder.takeBuffer().readableBytesView) == [0x00, 0x0B, 0xB1, 0x3F, 0xA2, 0x81, 0x6E, 0xFF, 0x83, 0x71, 0x69, 0x64, 0x03, 0x00, 0x00])
        encoder.commit()
        encoder.rollback()
        encoder.goodbye()
        #expect(Array(encoder.takeBuffer().readableBytesView) == [0, 2, 0xB0, 0x12, 0, 0, 0, 2, 0xB0, 0x13, 0, 0, 0, 2, 0xB0, 0x02, 0, 0])

        encoder.run("RETURN $x", parameters: ["x": 1], configuration: BoltTransactionConfiguration(database: "graph", accessMode: .read))
        var run = encoder.takeBuffer()
        run.moveReaderIndex(forwardBy: 2)
        let (tag, fields) = try PackStreamDecoder().decodeStructureHeader(from: &run)
        #expect(tag == 0x10 && fields == 3)
        #expect(try PackStreamDecoder().decode(from: &run) == "RETURN $x")
        #expect(try PackStreamDecoder().decode(from: &run) == ["x": 1])
        #expect(try PackStreamDecoder().decode(from: &run) == ["db": "graph", "mode": "r"])

        encoder.begin(BoltTransactionConfiguration(
            database: "graph", bookmarks: ["bm:1"], timeout: .milliseconds(1500), metadata: ["app": "test"], impersonatedUser: "alice"))
        var begin = encoder.takeBuffer()
        begin.moveReaderIndex(forwardBy: 2)
        #expect(try PackStreamDecoder().decodeStructureHeader(from: &begin) == (0x11, 1))
        #expect(try PackStreamDecoder().decode(from: &begin)
            == ["db": "graph", "bookmarks": ["bm:1"], "tx_timeout": 1500, "tx_metadata": ["app": "test"], "imp_user": "alice"])

        encoder.logon(auth: .bearer(token: "jwt"))
        var logon = encoder.takeBuffer()
        logon.moveReaderIndex(forwardBy: 2)
        #expect(try PackStreamDecoder().decodeStructureHeader(from: &logon) == (0x6A, 1))
        #expect(try PackStreamDecoder().decode(from: &logon) == ["scheme": "bearer", "credentials": "jwt"])
        encoder.logon(auth: .none)
        var none = encoder.takeBuffer()
        none.moveReaderIndex(forwardBy: 4)
        #expect(try PackStreamDecoder().decode(from: &none) == ["scheme": "none"])
    }

    static func helloFields(version: BoltVersion, auth: BoltAuth) throws -> [String: PackStreamValue] {
        var encoder = BoltRequestEncoder(version: version)
        encoder.hello(userAgent: "graphingest/0.1.0", auth: auth, routing: nil)
        var bytes = encoder.takeBuffer()
        bytes.moveReaderIndex(forwardBy: 2)
        _ = try PackStreamDecoder().decodeStructureHeader(from: &bytes)
        return try PackStreamDecoder().decode(from: &bytes).mapValue ?? [:]
    }

    @Test func helloCarriesAuthOnlyBeforeFiveOne() throws {
        let auth = BoltAuth.basic(user: "neo4j", password: "secret")
        let old = try Self.helloFields(version: BoltVersion(major: 4, minor: 4), auth: auth)
        #expect(old["scheme"] == "basic" && old["principal"] == "neo4j" && old["credentials"] == "secret")
        #expect(old["bolt_agent"] == nil)
        let new = try Self.helloFields(version: BoltVersion(major: 5, minor: 4), auth: auth)
        #expect(new["credentials"] == nil)
        #expect(new["user_agent"] == "graphingest/0.1.0")
        #expect(new["bolt_agent"]?["product"] == "graphingest/0.1.0")
        #expect("\(auth)" == "basic(neo4j)")
    }

    @Test func serverMessagesDecode() throws {
        func decode(_ bytes: [UInt8]) throws -> BoltServerMessage {
            var buffer = ByteBuffer(bytes: bytes)
            return try BoltServerMessage.decode(from: &buffer)
        }
        #expect(try decode([0xB1, 0x70, 0xA1, 0x81, 0x61, 0x01]) == .success(["a": 1]))
        #expect(try decode([0xB1, 0x71, 0x92, 0x01, 0x80]) == .record([1, ""]))
        #expect(try decode([0xB0, 0x7E]) == .ignored)
        var failure = ByteBuffer()
        failure.writePackStream { writer in
            writer.writeStructureHeader(tag: 0x7F, fieldCount: 1)
            writer.write(["neo4j_code": "Neo.ClientError.Statement.SyntaxError", "message": "bad", "gql_status": "42001"] as PackStreamValue)
        }
        #expect(try BoltServerMessage.decode(from: &failure)
            == .failure(BoltServerFailure(code: "Neo.ClientError.Statement.SyntaxError", message: "bad", gqlStatus: "42001")))
        #expect(throws: PackStreamError.self) { try decode([0xB1, 0x55, 0x01]) }
        #expect(throws: PackStreamError.self) { try decode([0xB1, 0x71, 0x01]) }
        #expect(throws: PackStreamError.self) { try decode([0x01]) }
    }

    @Test func uriParsing() throws {
        let plain = try BoltConfiguration(uri: "bolt://127.0.0.1:51929")
        #expect(plain.address == BoltAddress(host: "127.0.0.1", port: 51929) && !plain.routing && plain.tls == nil)
        let routed = try BoltConfiguration(uri: "neo4j+s://db.example.com?policy=eu")
        #expect(routed.routing && routed.tls == .verified && routed.address.port == 7687 && routed.routingParameters == ["policy": "eu"])
        #expect(try BoltConfiguration(uri: "bolt+ssc://h:1").tls == .selfSigned)
        #expect(try BoltConfiguration(uri: "neo4j+ssc://h").tls == .selfSigned)
        #expect(try BoltConfiguration(uri: "neo4j://[::1]:7000").address == BoltAddress(host: "::1", port: 7000))
        #expect(throws: BoltError.self) { try BoltConfiguration(uri: "http://localhost") }
        #expect(throws: BoltError.self) { try BoltConfiguration(uri: "localhost:7687") }
        #expect(throws: BoltError.self) { try BoltConfiguration(uri: "bolt://") }
    }

    @Test func errorClassification() {
        func server(_ code: String) -> BoltError { BoltError(.server, serverCode: code, serverMessage: "m") }
        #expect(server("Neo.TransientError.General.DatabaseUnavailable").isRetryable)
        #expect(server("Neo.TransientError.General.DatabaseUnavailable").classification == .transientError)
        #expect(!server("Neo.TransientError.Transaction.Terminated").isRetryable)
        #expect(!server("Neo.TransientError.Transaction.LockClientStopped").isRetryable)
        #expect(!server("Neo.ClientError.Statement.SyntaxError").isRetryable)
        #expect(server("Neo.ClientError.Statement.SyntaxError").classification == .clientError)
        #expect(server("Neo.DatabaseError.General.UnknownError").classification == .databaseError)
        #expect(server("Neo.ClientError.Cluster.NotALeader").isRetryable)
        #expect(BoltError(.connectionClosed).isRetryable)
        #expect(!BoltError(.outcomeUnknown).isRetryable)
        #expect(!BoltError(.connectionFailed).isRetryable)
        let error = BoltError(.server, serverCode: "Neo.ClientError.Statement.SyntaxError", serverMessage: "secret $param", address: "h:1")
        #expect(!error.description.contains("secret"))
        #expect(error.debugDescription.contains("secret"))
    }
}
