import Bolt
import Foundation
import IntegrationSupport
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Completes a raw Bolt handshake with the real ArcadeDB server from scripts/services.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct BoltHandshakeIntegrationTests {
    @Test func arcadeDBSettlesOnBoltFive() throws {
        let server = try IntegrationEnvironment.boltServer()
        let response = try Self.exchange(BoltHandshake.request, host: server.host, port: server.port, reply: 4)
        let version = try #require(BoltHandshake.version(fromResponse: response), "server accepted none of \(BoltHandshake.request)")
        #expect(version.major == 5)
        #expect(BoltHandshake.offers(version))
    }

    /// Sends bytes over a blocking TCP socket and reads exactly `reply` bytes back.
    static func exchange(_ bytes: [UInt8], host: String, port: Int, reply: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // NIO's address, not a hand-filled sockaddr_in: with NIO's C module loaded into this
        // target (by BoltTestSupport), sockaddr_in's fields count as that module's members.
        let address = try SocketAddress(ipAddress: host == "localhost" ? "127.0.0.1" : host, port: port)
        let connected = address.withSockAddr { connect(fd, $0, socklen_t($1)) }
        try #require(connected == 0, "cannot connect to \(host):\(port): errno \(errno)")
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        try #require(sent == bytes.count)
        var received = [UInt8](repeating: 0, count: reply)
        var filled = 0
        while filled < reply {
            let count = received.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, reply - filled, 0) }
            try #require(count > 0, "connection closed after \(filled) bytes")
            filled += count
        }
        return received
    }
}
