import PackStream

/// How the client authenticates: sent in HELLO (Bolt 4.4 and 5.0) or LOGON (5.1 and later).
///
/// See https://neo4j.com/docs/bolt/current/bolt/message/#messages-logon.
public enum BoltAuth: Sendable, Hashable {
    /// No authentication (scheme `none`).
    case none
    /// A user name and password (scheme `basic`).
    case basic(user: String, password: String)
    /// A token from an identity provider (scheme `bearer`).
    case bearer(token: String)

    /// The auth map's entries.
    var entries: [(String, String)] {
        switch self {
        case .none: return [("scheme", "none")]
        case .basic(let user, let password): return [("scheme", "basic"), ("principal", user), ("credentials", password)]
        case .bearer(let token): return [("scheme", "bearer"), ("credentials", token)]
        }
    }
}

extension BoltAuth: CustomStringConvertible {
    /// Names the scheme and user, never the secret.
    public var description: String {
        switch self {
        case .none: return "none"
        case .basic(let user, _): return "basic(\(user))"
        case .bearer: return "bearer"
        }
    }
}
