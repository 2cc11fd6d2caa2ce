/// The one error of the Bolt module: a server FAILURE, a lost or refused connection, a protocol
/// violation, or a misuse of the API.
///
/// `description` names the code, the server's status code and the address, never query
/// parameters; `debugDescription` adds the server's message and the underlying error.
public struct BoltError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of error this is; extensible without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case server, authentication, connectionFailed, connectionClosed, tls, timeout, unsupportedVersion
            case protocolViolation, outcomeUnknown, transactionClosed, routing, invalidConfiguration
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The server answered FAILURE: see ``serverCode`` and ``serverMessage``.
        public static let server = Code(.server)
        /// The server refused the credentials (HELLO or LOGON failed).
        public static let authentication = Code(.authentication)
        /// The connection could not be opened (refused, unreachable, name not resolved).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection was lost while requests were outstanding.
        public static let connectionClosed = Code(.connectionClosed)
        /// The TLS handshake or certificate check failed.
        public static let tls = Code(.tls)
        /// Connecting or waiting for the server took too long.
        public static let timeout = Code(.timeout)
        /// The server accepted none of the Bolt versions offered.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// The server sent something the protocol does not allow (or bytes that do not decode).
        public static let protocolViolation = Code(.protocolViolation)
        /// The connection was lost after COMMIT was sent: the transaction may or may not have committed.
        public static let outcomeUnknown = Code(.outcomeUnknown)
        /// The transaction or result was used after it ended (or after an earlier failure in it).
        public static let transactionClosed = Code(.transactionClosed)
        /// No server for the requested access mode could be found in the routing table.
        public static let routing = Code(.routing)
        /// A URI or setting the client cannot use.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        public var description: String {
            switch base {
            case .server: return "server error"
            case .authentication: return "authentication failed"
            case .connectionFailed: return "cannot connect"
            case .connectionClosed: return "connection lost"
            case .tls: return "TLS error"
            case .timeout: return "timed out"
            case .unsupportedVersion: return "no common Bolt version"
            case .protocolViolation: return "protocol violation"
            case .outcomeUnknown: return "commit outcome unknown"
            case .transactionClosed: return "transaction closed"
            case .routing: return "routing error"
            case .invalidConfiguration: return "invalid configuration"
            }
        }
    }

    /// The class of a Neo4j status code (`Neo.<Class>.<Category>.<Title>`).
    public enum Classification: String, Sendable, Hashable {
        /// The request was wrong: changing it may help, retrying will not.
        case clientError = "ClientError"
        /// The server cannot serve it now: retrying may succeed.
        case transientError = "TransientError"
        /// The server failed.
        case databaseError = "DatabaseError"
    }

    /// What kind of error this is.
    public var code: Code
    /// The server's status code, e.g. `Neo.ClientError.Statement.SyntaxError`.
    public var serverCode: String?
    /// The server's message (may quote the query: shown only in `debugDescription`).
    public var serverMessage: String?
    /// The server address involved (`host:port`).
    public var address: String?
    /// The URI the client was configured with, set when opening a connection failed (the
    /// address may be a routed server the URI led to).
    public var uri: String?
    /// A short explanation from the client (no user data).
    public var reason: String?
    /// The error underneath (a socket or TLS error).
    public var underlying: (any Error & Sendable)?
    /// The source file that raised the error (`#fileID`).
    public var file: String
    /// The line that raised the error.
    public var line: Int

    /// Creates an error; `file` and `line` default to the caller's.
    public init(
        _ code: Code, serverCode: String? = nil, serverMessage: String? = nil, address: String? = nil, reason: String? = nil,
        underlying: (any Error & Sendable)? = nil, file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.serverCode = serverCode
        self.serverMessage = serverMessage
        self.address = address
        self.reason = reason
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// The class of the server's status code, when there is one.
    public var classification: Classification? {
        guard let serverCode else { return nil }
        let parts = serverCode.split(separator: ".")
        guard parts.count >= 2 else { return nil }
        return Classification(rawValue: String(parts[1]))
    }

    /// Whether running the same unit of work again may succeed: transient server errors (except
    /// a terminated transaction and a stopped lock client), cluster role changes, and a
    /// connection lost before COMMIT was sent.
    public var isRetryable: Bool {
        switch code {
        case .connectionClosed:
            return true
        case .server:
            guard let serverCode else { return false }
            if Self.clusterRoleCodes.contains(serverCode) { return true }
            if serverCode == "Neo.ClientError.Security.AuthorizationExpired" { return true }
            return classification == .transientError && !Self.nonRetryableTransientCodes.contains(serverCode)
        default:
            return false
        }
    }

    /// Whether the error says this server is no longer the one to write to (routing refreshes).
    public var isClusterRoleChange: Bool {
        code == .server && serverCode.map(Self.clusterRoleCodes.contains) == true
    }

    static let nonRetryableTransientCodes: Set<String> = [
        "Neo.TransientError.Transaction.Terminated",
        "Neo.TransientError.Transaction.LockClientStopped",
    ]

    static let clusterRoleCodes: Set<String> = [
        "Neo.ClientError.Cluster.NotALeader",
        "Neo.ClientError.General.ForbiddenOnReadOnlyDatabase",
    ]

    public var description: String {
        if let uri, let address {
            // Opening the connection failed: say where to, from which URI, and why.
            return "Bolt: cannot connect to \(address) (\(uri)): \(reason ?? "\(code)")"
        }
        var text = "Bolt: \(code)"
        if let serverCode { text += " \(serverCode)" }
        if let reason { text += ": \(reason)" }
        if let address { text += " (server \(address))" }
        return text
    }

    public var debugDescription: String {
        var text = description
        if let serverMessage { text += ": \(serverMessage)" }
        if let underlying { text += " [\(String(reflecting: underlying))]" }
        return text + " at \(file):\(line)"
    }

    /// The same error with the address filled in when it had none.
    func at(_ address: String) -> BoltError {
        var copy = self
        if copy.address == nil { copy.address = address }
        return copy
    }
}
