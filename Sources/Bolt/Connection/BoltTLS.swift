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

    /// Whether a TLS error ended the handshake (rather than a session already set up).
    static func isHandshakeError(_ error: any Error) -> Bool {
        if case NIOSSLError.handshakeFailed = error { return true }
        return error is NIOSSLExtraError
    }

    /// A TLS error in a few words: BoringSSL's reason (`CERTIFICATE_VERIFY_FAILED` becomes
    /// "certificate verify failed"), or the host name check that failed.
    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOSSLExtraError {
            if error == .failedToValidateHostname { return "certificate does not match the host name" }
            return "\(error)"
        }
        if case NIOSSLError.handshakeFailed(.sslError(let errors)) = error, !errors.isEmpty {
            return errors.map { reason(in: "\($0)") }.joined(separator: "; ")
        }
        if case NIOSSLError.uncleanShutdown = error { return "the server closed the connection" }
        return reason(in: "\(error)")
    }

    /// BoringSSL's reason in an error's text: "Error: 268435581 error:1000007d:SSL
    /// routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at file:line" gives "certificate verify
    /// failed"; a text without such a code gives the text after "Error:", and an EOF (a server
    /// that does not speak TLS on that port hangs up) says so.
    private static func reason(in text: String) -> String {
        let words = text.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "(" || $0 == ")" || $0 == "[" || $0 == "]" })
        if let reason = words.first(where: { word in
            word.count > 3 && word.contains("_") && word.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" }
        }) {
            return String(reason.lowercased().map { $0 == "_" ? " " : $0 })
        }
        var rest = Substring(text)
        if rest.hasPrefix("Error:") {
            rest = rest.dropFirst("Error:".count).drop { $0 == " " }.drop { $0.isNumber }.drop { $0 == " " }
        }
        if rest.hasPrefix("EOF during handshake") { return "the server closed the connection (is TLS enabled on that port?)" }
        return rest.isEmpty ? text : String(rest)
    }
}
