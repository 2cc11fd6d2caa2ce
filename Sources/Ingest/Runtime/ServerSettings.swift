public import GraphStore
public import Registry

/// Where the servers are: docs/design.md's common options, with the environment as fallback.
public struct ServerSettings: Sendable {
    public var graph: GraphDatabaseSettings
    public var registry: RegistryConnectionSettings

    public init(graph: GraphDatabaseSettings, registry: RegistryConnectionSettings) {
        self.graph = graph
        self.registry = registry
    }

    /// Resolves the settings from command-line values and the process environment.
    ///
    /// - Parameter dialect: the dialect asked for, or nil to detect it.
    /// - Throws: ``IngestError`` `.configuration` when no Bolt URI is given.
    public static func resolve(
        bolt: String?, user: String?, database: String?, postgres: String?, dialect: GraphDialect?,
        environment: [String: String]
    ) throws(IngestError) -> ServerSettings {
        let graph: GraphDatabaseSettings
        do {
            graph = try GraphDatabaseSettings.resolve(bolt: bolt, user: user, database: database, dialect: dialect, environment: environment)
        } catch {
            throw IngestError(.configuration, error.message)
        }
        return ServerSettings(graph: graph, registry: RegistryConnectionSettings.resolve(option: postgres, environment: environment))
    }
}
