/// Where the registry's PostgreSQL is: a libpq conninfo string or postgres:// URL.
///
/// Resolution follows DESIGN.md: `--postgres`, else `GRAPHINGEST_POSTGRES`, else the empty
/// conninfo, with which libpq reads its own `PG*` variables.
public struct RegistryConnectionSettings: Sendable, Equatable {
    /// The conninfo or URL handed to libpq; may hold a password, so never print it.
    public var conninfo: String

    public init(conninfo: String) {
        self.conninfo = conninfo
    }

    /// Resolves the settings from a command-line value and the process environment.
    public static func resolve(option: String?, environment: [String: String]) -> RegistryConnectionSettings {
        if let option, !option.isEmpty {
            return RegistryConnectionSettings(conninfo: option)
        }
        if let value = environment["GRAPHINGEST_POSTGRES"], !value.isEmpty {
            return RegistryConnectionSettings(conninfo: value)
        }
        return RegistryConnectionSettings(conninfo: "")
    }
}
