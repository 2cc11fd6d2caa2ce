internal import CDigest

/// SHA-256 (FIPS 180-4), for document hashes and fingerprints.
///
/// A small implementation of our own: the package has no OpenSSL or CryptoKit binding on Linux,
/// and the hash is needed only for content identity, never for secrets. Block compression is in
/// C (`CDigest`), which uses the CPU's SHA extensions where there are any.
package struct SHA256: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )
    private var pending: [UInt8] = []
    private var length: UInt64 = 0

    /// A fresh hash.
    package init() {}

    /// Feeds bytes.
    /// Feeds a contiguous buffer (fast path: whole blocks are compressed in place).
    package mutating func update(_ buffer: UnsafeRawBufferPointer) {
        length &+= UInt64(buffer.count)
        var bytes = buffer.bindMemory(to: UInt8.self)[...]
        if !pending.isEmpty {
            let take = min(64 - pending.count, bytes.count)
            pending.append(contentsOf: bytes.prefix(take))
            bytes = bytes.dropFirst(take)
            if pending.count == 64 {
                pending.withUnsafeBufferPointer { compress($0) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        let whole = bytes.count / 64 * 64
        if whole > 0 {
            compress(UnsafeBufferPointer(rebasing: bytes.prefix(whole)))
            bytes = bytes.dropFirst(whole)
        }
        pending.append(contentsOf: bytes)
    }

    /// Feeds a byte array.
    package mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 of a string.
    package mutating func update(_ string: String) {
        var copy = string
        copy.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The 32-byte digest.
    package func finalize() -> [UInt8] {
        var copy = self
        let bitLength = copy.length &* 8
        var tail = copy.pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { copy.compress($0) }
        let words = [copy.state.0, copy.state.1, copy.state.2, copy.state.3, copy.state.4, copy.state.5, copy.state.6, copy.state.7]
        return words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32($0))) } }
    }

    /// The digest as lower-case hex.
    package func hexDigest() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in finalize() {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The hex SHA-256 of `bytes`.
    package static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var hash = SHA256()
        hash.update(bytes)
        return hash.hexDigest()
    }

    /// The hex SHA-256 of `bytes`.
    package static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex($0) }
    }

    /// Compresses whole 64-byte blocks in C: with the CPU's SHA extensions when it has them
    /// (several times faster than portable code; document hashes are on the extraction path).
    private mutating func compress(_ blocks: UnsafeBufferPointer<UInt8>) {
        guard let base = blocks.baseAddress, blocks.count >= 64 else { return }
        // A homogeneous tuple is laid out like a C array.
        withUnsafeMutableBytes(of: &state) { words in
            gi_sha256_compress(words.baseAddress!.assumingMemoryBound(to: UInt32.self), base, blocks.count / 64)
        }
    }
}
