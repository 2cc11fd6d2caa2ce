import NIOCore
import NIOSSL

/// TLS for the `+s` and `+ssc` schemes, through swift-nio-ssl.
enum BoltTLS {
    /// One context per mode for the whole process: loading the system trust store is costly.
    private static let verifiedContext = Result { try NIOSSLContext(configuration: .makeClientConfiguration()) }
    private static let selfSignedContext = Result {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return try NIOSSLContext(configuration: configuration)
    }

    /// Puts a TLS client handler first in a new channel's pipeline.
    static func addHandler(_ mode: BoltTLSMode, host: String, to channel: any Channel) throws {
        let context: NIOSSLContext
        do {
            context = try (mode == .verified ? verifiedContext : selfSignedContext).get()
        } catch {
            throw BoltError(.tls, address: host, reason: "cannot set up TLS", underlying: error)
        }
        // SNI and host name checks take a name, never an IP address literal.
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : host)
        try channel.pipeline.syncOperations.addHandler(handler)
    }

    /// Whether an error came from TLS (a handshake or certificate failure).
    static func isTLSError(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }
}
