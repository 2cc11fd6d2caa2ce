internal import Bolt

/// An error of the graph database as the rest of GraphIngest sees it: what kind of failure it is
/// (for exit codes and messages), the server's code and message where there is one, and the
/// Bolt error underneath.
///
/// `description` names the server and what it answered, never query parameters.
public struct GraphStoreError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is (extensible).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case configuration, unreachable, refused, failed }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The settings are wrong: a bad URI, unknown dialect, rejected credentials, an
        /// unsupported protocol version.
        public static let configuration = Code(.configuration)
        /// The server could not be reached, or was lost (a rerun finishes the job).
        public static let unreachable = Code(.unreachable)
        /// The server refused a statement (syntax, a constraint, a type error).
        public static let refused = Code(.refused)
        /// Anything else: retries exhausted, a protocol violation.
        public static let failed = Code(.failed)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What happened, for the user: names the server and the cause.
    public var message: String
    /// The server's status code (e.g. `Neo.ClientError.Statement.SyntaxError`), if it sent one.
    public var serverCode: String?
    /// The error underneath (a Bolt error), if any. Typed as any error, so that no Bolt type is
    /// part of GraphStore's interface.
    public var underlying: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, serverCode: String? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.serverCode = serverCode
        self.underlying = underlying
    }

    public var description: String { message }

    /// The graph-side reading of `error`: a ``GraphStoreError`` as it is, a Bolt error mapped to
    /// its kind; nil for errors of other modules.
    public static func from(_ error: any Error) -> GraphStoreError? {
        if let error = error as? GraphStoreError { return error }
        guard let bolt = error as? BoltError else { return nil }
        var message = bolt.description
        if let serverMessage = bolt.serverMessage, !message.contains(serverMessage) { message += ": \(serverMessage)" }
        return GraphStoreError(kind(of: bolt), message, serverCode: bolt.serverCode, underlying: bolt)
    }

    private static func kind(of error: BoltError) -> Code {
        if error.isUnreachable { return .unreachable }
        if error.code == .authentication || error.code == .invalidConfiguration || error.code == .unsupportedVersion {
            return .configuration
        }
        if error.code == .server && error.classification != .transientError { return .refused }
        return .failed
    }
}

extension BoltError {
    /// Whether the error means the server could not be reached, or was lost: also a connection
    /// lost after COMMIT was sent (the outcome is unknown; a rerun settles it).
    var isUnreachable: Bool {
        code == .connectionFailed || code == .timeout || code == .tls || code == .connectionClosed || code == .outcomeUnknown
    }
}
