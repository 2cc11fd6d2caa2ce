import PackStream

/// Whether a unit of work reads or writes: routes it to a reader or the writer, and is sent as
/// `mode` (`"r"` for reads).
public enum BoltAccessMode: Sendable, Hashable {
    /// A read: routed to a reader, sent as `mode: "r"`.
    case read
    /// A write: routed to the writer (the default mode).
    case write
}

/// The settings of an auto-commit RUN or a BEGIN: the extra map of those messages.
///
/// See https://neo4j.com/docs/bolt/current/bolt/message/#messages-begin.
public struct BoltTransactionConfiguration: Sendable, Hashable {
    /// The database (`db`); nil for the server's default.
    public var database: String?
    /// Bookmarks the transaction must see.
    public var bookmarks: [String]
    /// A server-side timeout (`tx_timeout`, sent in milliseconds).
    public var timeout: Duration?
    /// Metadata the server logs with the transaction (`tx_metadata`).
    public var metadata: [String: PackStreamValue]
    /// Read or write (`mode: "r"` for reads).
    public var accessMode: BoltAccessMode
    /// A user to impersonate (`imp_user`).
    public var impersonatedUser: String?

    /// Creates a configuration; the defaults send an empty extra map (a write on the default database).
    public init(
        database: String? = nil, bookmarks: [String] = [], timeout: Duration? = nil,
        metadata: [String: PackStreamValue] = [:], accessMode: BoltAccessMode = .write, impersonatedUser: String? = nil
    ) {
        self.database = database
        self.bookmarks = bookmarks
        self.timeout = timeout
        self.metadata = metadata
        self.accessMode = accessMode
        self.impersonatedUser = impersonatedUser
    }
}
