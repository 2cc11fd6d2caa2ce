import NIOCore

/// Bolt's chunked framing, encoded: a message body goes out in chunks of at most
/// `maximumChunkSize` bytes, each after its 2-byte big-endian size, and a zero size ends it.
///
/// See https://neo4j.com/docs/bolt/current/bolt/message/#chunking.
package struct BoltChunkWriter: Sendable {
    /// The largest chunk, 65,535 bytes on the wire (smaller only in tests).
    package var maximumChunkSize: Int

    package init(maximumChunkSize: Int = 65_535) {
        precondition(maximumChunkSize > 0 && maximumChunkSize <= 65_535)
        self.maximumChunkSize = maximumChunkSize
    }

    /// Appends one whole message: its body in chunks, then the end marker.
    package func writeMessage(_ body: UnsafeRawBufferPointer, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: body.count + 2 * (body.count / maximumChunkSize + 2))
        var offset = 0
        while offset < body.count {
            let size = min(maximumChunkSize, body.count - offset)
            buffer.writeInteger(UInt16(size), endianness: .big)
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: body[offset..<offset + size]))
            offset += size
        }
        buffer.writeInteger(UInt16(0))
    }
}
