/// An error from the registry: a PostgreSQL error with its SQLSTATE, a lost connection, a
/// connection that could not be opened, or a value the registry could not decode.
///
/// `description` names the operation, the code, the SQLSTATE and the server's message; it never
/// holds the connection password, query parameters or document text. `debugDescription` adds
/// the server's detail and hint, which may quote row values.
public struct RegistryError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is; extensible, so match with `==` rather than `switch`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case connectionFailed
            case connectionLost
            case connectionClosed
            case server
            case copyFailed
            case unexpectedResult
            case decodingFailed
            case invalidArgument
            case migrationFailed
            case cancelled
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection could not be opened (unreachable server, bad credentials, bad conninfo).
        public static let connectionFailed = Code(.connectionFailed)
        /// The connection broke during an operation (server stopped, backend terminated, network).
        public static let connectionLost = Code(.connectionLost)
        /// The connection was used after `close()`.
        public static let connectionClosed = Code(.connectionClosed)
        /// PostgreSQL answered with an error; see `sqlState`.
        public static let server = Code(.server)
        /// A COPY could not be sent.
        public static let copyFailed = Code(.copyFailed)
        /// PostgreSQL answered with a result of an unexpected shape.
        public static let unexpectedResult = Code(.unexpectedResult)
        /// A value in a result could not be decoded into the Swift type asked for.
        public static let decodingFailed = Code(.decodingFailed)
        /// The caller passed something the registry refuses (for example a bad schema name).
        public static let invalidArgument = Code(.invalidArgument)
        /// The schema in the database is newer than this program, or a migration failed.
        public static let migrationFailed = Code(.migrationFailed)
        /// The calling task was cancelled; the server cancelled the statement (SQLSTATE 57014).
        public static let cancelled = Code(.cancelled)

        /// The code's name, e.g. `connectionLost`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The registry operation that failed, for example `registerDocuments` or `migrate`.
    public var operation: String
    /// The five-character SQLSTATE from PostgreSQL, when the server sent one.
    public var sqlState: String?
    /// The server's primary message, or the client's own description of the failure.
    public var message: String
    /// The server's DETAIL field; may quote values, so it only shows in `debugDescription`.
    public var detail: String?
    /// The server's HINT field.
    public var hint: String?
    /// The error underneath, when another error caused this one.
    public var underlying: (any Error & Sendable)?
    /// Where in GraphIngest the error was raised.
    public var file: String
    /// The line in `file`.
    public var line: Int

    /// Makes an error; `file` and `line` default to the call site.
    public init(
        _ code: Code,
        operation: String,
        message: String,
        sqlState: String? = nil,
        detail: String? = nil,
        hint: String? = nil,
        underlying: (any Error & Sendable)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.operation = operation
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.underlying = underlying
        self.file = file
        self.line = line
    }

    /// True when the error means the connection is gone, so the operation may be retried on a
    /// fresh one if it is safe to repeat.
    public var isConnectionLoss: Bool { code == .connectionLost }

    /// The operation, code, SQLSTATE and message; no detail, so no row values.
    public var description: String {
        var text = "registry \(operation) failed (\(code)"
        if let sqlState { text += ", SQLSTATE \(sqlState)" }
        text += "): \(message)"
        return text
    }

    /// `description` plus the server's detail and hint, the cause, and where it was raised.
    public var debugDescription: String {
        var text = description
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        if let underlying { text += "\nCAUSE: \(String(reflecting: underlying))" }
        text += "\nAT: \(file):\(line)"
        return text
    }
}
