import Foundation
public import GraphStore
public import Registry

/// The servers a command works with: the registry and the graph database, opened together,
/// checked together and closed together (`withServers`), sized by one
/// ``PipelineConfiguration``. It runs no job: a command builds a job value (``IngestJob``,
/// ``ReindexJob``, ``ConsistencyJob``...) from what it holds.
public struct GraphIngestServers: Sendable {
    public let settings: ServerSettings
    public let configuration: PipelineConfiguration
    public let registry: RegistryStore
    /// The graph database: the door to everything on the graph side.
    public let database: GraphDatabase

    /// Opens both servers, checks that they answer, runs `body`, then closes them.
    ///
    /// - Throws: ``IngestError`` `.unreachable` naming the server when either cannot be reached.
    public static func withServers<Result: Sendable>(
        _ settings: ServerSettings, configuration: PipelineConfiguration = PipelineConfiguration(),
        _ body: (GraphIngestServers) async throws -> Result
    ) async throws -> Result {
        let planner = GraphBatchPlanner(maximumRows: configuration.statementRows, maximumBytes: configuration.statementBytes)
        return try await GraphDatabase.withDatabase(
            settings.graph, connections: configuration.writers + 1, planner: planner, userAgent: GraphIngestVersion.userAgent
        ) { database in
            let registry = RegistryStore(settings: settings.registry, maximumConnections: max(2, configuration.writers + 4))
            let servers = GraphIngestServers(settings: settings, configuration: configuration, registry: registry, database: database)
            do {
                try await servers.checkReachable()
                let result = try await body(servers)
                await registry.close()
                return result
            } catch {
                await registry.close()
                throw error
            }
        }
    }

    /// Fails early, with the server named, when the registry or the graph does not answer.
    func checkReachable() async throws {
        do {
            try await registry.ping()
        } catch let error as RegistryError where error.code == .connectionFailed || error.code == .connectionLost {
            throw IngestError(.unreachable, "cannot reach PostgreSQL at \(Self.postgresAddress(settings.registry)): \(error)")
        }
        try await database.verifyConnectivity()
    }

    /// Where the registry is, for messages: the conninfo without its password, or libpq's
    /// `PGHOST:PGPORT` when the conninfo is empty.
    static func postgresAddress(_ settings: RegistryConnectionSettings) -> String {
        if !settings.conninfo.isEmpty { return settings.description }
        let environment = ProcessInfo.processInfo.environment
        return "\(environment["PGHOST"] ?? "localhost"):\(environment["PGPORT"] ?? "5432")"
    }
}

extension GraphIngestServers {
    /// Waits (at most two seconds) until the registry's connection threads have ended: call it
    /// before the process exits, so that libpq's OpenSSL cleanup at exit never races them.
    public static func waitForBackgroundThreads() {
        RegistryStore.waitForConnectionThreads(timeout: .seconds(2))
    }
}

/// The version the CLI reports and sends as its Bolt user agent.
public enum GraphIngestVersion {
    public static let current = "0.1.0"
    /// What HELLO tells the graph database.
    public static var userAgent: String { "graphingest/\(current)" }
}
