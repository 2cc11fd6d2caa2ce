#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import NIOSSL

extension BoltError {
    /// Opening a connection failed before the server said anything: the error names the address,
    /// the URI it came from, and the cause in words a user can act on ("connection refused",
    /// "timed out after 10 s", "host not found", "TLS handshake failed: ..."), not NIO's types.
    static func connectFailed(
        to address: BoltAddress, uri: String, error: any Error, file: String = #fileID, line: Int = #line
    ) -> BoltError {
        if var error = error as? BoltError {
            error.address = error.address ?? address.description
            error.uri = uri
            return error
        }
        let code: Code
        if BoltTLS.isTLSError(error) {
            code = .tls
        } else if case ChannelError.connectTimeout = error {
            code = .timeout
        } else {
            code = .connectionFailed
        }
        return BoltError(code, address: address.description, reason: cause(of: error, host: address.host), underlying: error,
                         file: file, line: line)
            .with(uri: uri)
    }

    /// The cause of a failed connect, in words.
    static func cause(of error: any Error, host: String) -> String {
        switch error {
        case ChannelError.connectTimeout(let amount):
            return "timed out after \(amount.nanoseconds / 1_000_000_000) s"
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil, error.connectionErrors.isEmpty {
                return "host not found (\(host))"
            }
            var causes: [String] = []
            for failure in error.connectionErrors {
                let cause = Self.cause(of: failure.error, host: host)
                if !causes.contains(cause) { causes.append(cause) }
            }
            return causes.isEmpty ? "host not found (\(host))" : causes.joined(separator: "; ")
        case let error as IOError:
            return socketCause(error.errnoCode)
        case is SocketAddressError.UnknownHost:
            return "host not found (\(host))"
        default:
            if BoltTLS.isTLSError(error) {
                return "\(BoltTLS.isHandshakeError(error) ? "TLS handshake failed" : "TLS failed"): \(BoltTLS.describe(error))"
            }
            return "\(error)"
        }
    }

    private static func socketCause(_ code: CInt) -> String {
        switch code {
        case ECONNREFUSED: return "connection refused"
        case ETIMEDOUT: return "timed out"
        case EHOSTUNREACH: return "host unreachable"
        case ENETUNREACH: return "network unreachable"
        case ECONNRESET: return "connection reset by the server"
        default: return String(cString: strerror(code))
        }
    }

    private func with(uri: String) -> BoltError {
        var copy = self
        copy.uri = uri
        return copy
    }
}
