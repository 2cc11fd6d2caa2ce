import NIOCore

/// Bolt's chunked framing, encoded: a message is written in place after a 2-byte placeholder,
/// then the placeholder becomes the size; a body over the chunk limit is split into chunks of at
/// most `maximumChunkSize` bytes. A zero size ends every message.
///
/// See https://neo4j.com/docs/bolt/current/bolt/message/#chunking.
package struct BoltChunkWriter: Sendable {
    /// The largest chunk, 65,535 bytes on the wire (smaller only in tests).
    package var maximumChunkSize: Int
    private var messageStart: Int?

    package init(maximumChunkSize: Int = 65_535) {
        precondition(maximumChunkSize > 0 && maximumChunkSize <= 65_535)
        self.maximumChunkSize = maximumChunkSize
    }

    /// Starts a message: reserves the first chunk header. The caller then writes the body.
    package mutating func beginMessage(in buffer: inout ByteBuffer) {
        precondition(messageStart == nil, "a message is already open")
        messageStart = buffer.writerIndex
        buffer.writeInteger(UInt16(0))
    }

    /// Ends the open message: fills in the size, splits the body when it is too large for one
    /// chunk, and writes the end marker.
    package mutating func endMessage(in buffer: inout ByteBuffer) {
        guard let start = messageStart else { preconditionFailure("no message is open") }
        messageStart = nil
        let length = buffer.writerIndex - start - 2
        if length <= maximumChunkSize {
            buffer.setInteger(UInt16(length), at: start, endianness: .big)
        } else {
            // Rare (large parameter lists): copy the body out and write it back in chunks.
            var body = buffer.getSlice(at: start + 2, length: length)!
            buffer.moveWriterIndex(to: start)
            buffer.reserveCapacity(minimumWritableBytes: length + 2 * (length / maximumChunkSize + 1) + 2)
            while body.readableBytes > 0 {
                let size = min(maximumChunkSize, body.readableBytes)
                var chunk = body.readSlice(length: size)!
                buffer.writeInteger(UInt16(size), endianness: .big)
                buffer.writeBuffer(&chunk)
            }
        }
        buffer.writeInteger(UInt16(0))
    }
}
