internal import Bolt

/// Where the graph database is and how to log in: docs/design.md's common options, with the
/// environment as fallback. The password comes only from `GRAPHINGEST_BOLT_PASSWORD` (a flag
/// would show in `ps`); `GRAPHINGEST_BOLT_TOKEN` logs in with a bearer token instead.
public struct GraphDatabaseSettings: Sendable {
    /// The Bolt URI (bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://).
    public var uri: String
    /// How to log in.
    public var credentials: GraphCredentials
    /// The database to use (nil for the server's default).
    public var database: String?
    /// The dialect asked for, or nil to detect it from the server's agent.
    public var dialect: GraphDialect?

    public init(uri: String, credentials: GraphCredentials = .none, database: String? = nil, dialect: GraphDialect? = nil) {
        self.uri = uri
        self.credentials = credentials
        self.database = database
        self.dialect = dialect
    }

    /// Resolves the settings from command-line values and the process environment.
    ///
    /// - Parameter dialect: the dialect asked for, or nil to detect it.
    /// - Throws: ``GraphStoreError`` `.configuration` when no URI is given.
    public static func resolve(
        bolt: String?, user: String?, database: String?, dialect: GraphDialect?, environment: [String: String]
    ) throws(GraphStoreError) -> GraphDatabaseSettings {
        func value(_ option: String?, _ variable: String) -> String? {
            if let option, !option.isEmpty { return option }
            if let value = environment[variable], !value.isEmpty { return value }
            return nil
        }
        guard let uri = value(bolt, "GRAPHINGEST_BOLT_URI") else {
            throw GraphStoreError(.configuration, "no Bolt server: pass --bolt or set GRAPHINGEST_BOLT_URI")
        }
        let credentials: GraphCredentials
        if let token = environment["GRAPHINGEST_BOLT_TOKEN"], !token.isEmpty {
            credentials = .bearer(token: token)
        } else if let user = value(user, "GRAPHINGEST_BOLT_USER") {
            credentials = .basic(user: user, password: environment["GRAPHINGEST_BOLT_PASSWORD"] ?? "")
        } else {
            credentials = .none
        }
        return GraphDatabaseSettings(uri: uri, credentials: credentials, database: value(database, "GRAPHINGEST_DATABASE"), dialect: dialect)
    }
}

/// How to log in to the graph database.
public enum GraphCredentials: Sendable, Hashable {
    /// No authentication.
    case none
    /// A user and a password.
    case basic(user: String, password: String)
    /// A bearer token (SSO).
    case bearer(token: String)

    var boltAuth: BoltAuth {
        switch self {
        case .none: return .none
        case .basic(let user, let password): return .basic(user: user, password: password)
        case .bearer(let token): return .bearer(token: token)
        }
    }
}
