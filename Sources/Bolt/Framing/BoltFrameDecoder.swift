import NIOCore

/// What the framing decoder hands up: the server's 4-byte handshake answer, then whole messages.
package enum BoltFrame: Equatable, Sendable {
    /// The server's answer to our version proposals (`00 00 minor major`, or zeros).
    case handshakeResponse([UInt8])
    /// The body of one message, its chunks joined.
    case message(ByteBuffer)
}

/// Bolt's chunked framing, decoded: each chunk is a 2-byte big-endian size and that many bytes,
/// a zero size ends a message, and zero-size chunks between messages (NOOPs) are skipped.
///
/// Returns nil (and consumes nothing of the unfinished message) until a message is complete.
/// See https://neo4j.com/docs/bolt/current/bolt/message/#chunking.
package struct BoltFrameDecoder: NIOSingleStepByteToMessageDecoder {
    package typealias InboundOut = BoltFrame

    private var awaitingHandshake: Bool

    /// - Parameter expectsHandshake: whether the first 4 bytes are the handshake answer.
    package init(expectsHandshake: Bool = true) {
        self.awaitingHandshake = expectsHandshake
    }

    package mutating func decode(buffer: inout ByteBuffer) throws -> BoltFrame? {
        if awaitingHandshake {
            guard let bytes = buffer.readBytes(length: 4) else { return nil }
            awaitingHandshake = false
            return .handshakeResponse(bytes)
        }
        // Walk the chunk headers without consuming anything until the end marker is in.
        var index = buffer.readerIndex
        var total = 0
        var chunks = 0
        while true {
            guard let size = buffer.getInteger(at: index, endianness: .big, as: UInt16.self) else { return nil }
            index += 2
            if size == 0 {
                if chunks == 0 {
                    buffer.moveReaderIndex(to: index)  // a NOOP between messages
                    continue
                }
                break
            }
            guard buffer.writerIndex - index >= Int(size) else { return nil }
            index += Int(size)
            total += Int(size)
            chunks += 1
        }
        let start = buffer.readerIndex
        if chunks == 1 {
            let message = buffer.getSlice(at: start + 2, length: total)!
            buffer.moveReaderIndex(to: index)
            return .message(message)
        }
        var message = ByteBuffer()
        message.reserveCapacity(total)
        var chunkStart = start
        while chunkStart < index - 2 {
            let size = Int(buffer.getInteger(at: chunkStart, endianness: .big, as: UInt16.self)!)
            var chunk = buffer.getSlice(at: chunkStart + 2, length: size)!
            message.writeBuffer(&chunk)
            chunkStart += 2 + size
        }
        buffer.moveReaderIndex(to: index)
        return .message(message)
    }

    package mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> BoltFrame? {
        try decode(buffer: &buffer)
    }
}
