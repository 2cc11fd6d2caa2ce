public import Bolt
public import GraphStore
public import Registry

/// Where the servers are: the common options of DESIGN.md's CLI, with the environment as fallback.
///
/// The Bolt password comes only from `GRAPHINGEST_BOLT_PASSWORD` (a flag would show in `ps`).
public struct ServerSettings: Sendable {
    public var boltURI: String
    public var boltAuth: BoltAuth
    public var database: String?
    public var registry: RegistryConnectionSettings
    /// The dialect asked for, or nil for `auto`.
    public var dialect: GraphDialect?

    /// Resolves the settings from command-line values and the process environment.
    ///
    /// - Throws: ``IngestError`` with `.configuration` when no Bolt URI is given or the dialect
    ///   is unknown.
    public static func resolve(
        bolt: String?, user: String?, database: String?, postgres: String?, dialect: String,
        environment: [String: String]
    ) throws(IngestError) -> ServerSettings {
        func value(_ option: String?, _ variable: String) -> String? {
            if let option, !option.isEmpty { return option }
            if let value = environment[variable], !value.isEmpty { return value }
            return nil
        }
        guard let uri = value(bolt, "GRAPHINGEST_BOLT_URI") else {
            throw IngestError(.configuration, "no Bolt server: pass --bolt or set GRAPHINGEST_BOLT_URI")
        }
        let auth: BoltAuth
        if let token = environment["GRAPHINGEST_BOLT_TOKEN"], !token.isEmpty {
            auth = .bearer(token: token)
        } else if let user = value(user, "GRAPHINGEST_BOLT_USER") {
            auth = .basic(user: user, password: environment["GRAPHINGEST_BOLT_PASSWORD"] ?? "")
        } else {
            auth = .none
        }
        var chosen: GraphDialect?
        if dialect != "auto" {
            guard let known = GraphDialect(rawValue: dialect) else {
                throw IngestError(.configuration, "unknown --dialect \(dialect) (use auto, \(GraphDialect.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            chosen = known
        }
        return ServerSettings(
            boltURI: uri, boltAuth: auth, database: value(database, "GRAPHINGEST_DATABASE"),
            registry: RegistryConnectionSettings.resolve(option: postgres, environment: environment), dialect: chosen)
    }
}
