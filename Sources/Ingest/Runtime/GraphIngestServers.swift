public import Bolt
import Foundation
public import GraphStore
public import Registry

/// The servers a command works with: the registry, the Bolt client and the graph writer on it,
/// opened together and closed together (`withServers`).
public struct GraphIngestServers: Sendable {
    public let settings: ServerSettings
    public let registry: RegistryStore
    public let client: BoltClient
    public let graph: GraphWriter

    /// Opens both servers, checks that they answer, runs `body`, then closes them.
    ///
    /// - Parameters:
    ///   - writers: concurrent graph writers (the Bolt pool holds one more connection).
    ///   - batchRows: rows per graph write batch at most.
    ///   - batchBytes: estimated bytes per graph write batch at most.
    /// - Throws: ``IngestError`` `.unreachable` naming the server when either cannot be reached.
    public static func withServers<Result: Sendable>(
        _ settings: ServerSettings, writers: Int = 2, batchRows: Int = 5_000, batchBytes: Int = 8 << 20,
        _ body: (GraphIngestServers) async throws -> Result
    ) async throws -> Result {
        var configuration = try BoltConfiguration(uri: settings.boltURI, auth: settings.boltAuth, userAgent: "graphingest/\(GraphIngestVersion.current)")
        configuration.maximumPoolSize = max(2, writers + 1)
        let client = BoltClient(configuration: configuration)
        let registry = RegistryStore(settings: settings.registry, maximumConnections: max(2, writers + 2))
        let servers = GraphIngestServers(
            settings: settings, registry: registry, client: client,
            graph: GraphWriter(client: client, database: settings.database,
                               planner: GraphBatchPlanner(maximumRows: max(1, batchRows), maximumBytes: max(1, batchBytes))))
        do {
            try await servers.checkReachable()
            let result = try await body(servers)
            await client.shutdown()
            await registry.close()
            return result
        } catch {
            await client.shutdown()
            await registry.close()
            throw error
        }
    }

    /// Fails early, with the server named, when the registry or the graph does not answer.
    func checkReachable() async throws {
        do {
            try await registry.ping()
        } catch let error as RegistryError where error.code == .connectionFailed || error.code == .connectionLost {
            throw IngestError(.unreachable, "cannot reach PostgreSQL at \(Self.postgresAddress(settings.registry)): \(error)")
        }
        do {
            try await client.verifyConnectivity()
        } catch let error as BoltError where error.isUnreachable {
            throw IngestError(.unreachable, "cannot reach the Bolt server at \(settings.boltURI): \(error)")
        }
    }

    /// Where the registry is, for messages: the conninfo without its password, or libpq's
    /// `PGHOST:PGPORT` when the conninfo is empty.
    static func postgresAddress(_ settings: RegistryConnectionSettings) -> String {
        if !settings.conninfo.isEmpty { return settings.description }
        let environment = ProcessInfo.processInfo.environment
        return "\(environment["PGHOST"] ?? "localhost"):\(environment["PGPORT"] ?? "5432")"
    }

    /// The registry schema must exist before a pipeline runs.
    public func requireMigrated() async throws {
        guard try await registry.isMigrated() else {
            throw IngestError(.configuration, "the registry schema \(registry.schema.name) does not exist: run graphingest init first")
        }
    }

    /// The dialect asked for, or the one the server's agent names (Neo4j when it names none).
    public func dialect() async throws -> (GraphDialect, detected: Bool) {
        if let dialect = settings.dialect { return (dialect, false) }
        let agent = try await client.withSession(database: settings.database) { session in
            try await session.executeRead { transaction in transaction.connection.serverAgent }
        }
        return (agent.flatMap(GraphDialect.init(serverAgent:)) ?? .neo4j, true)
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
}

extension BoltError {
    /// Whether the error means the server could not be reached, or was lost (exit 3): also a
    /// connection lost after COMMIT was sent (the outcome is unknown; a rerun settles it).
    public var isUnreachable: Bool {
        code == .connectionFailed || code == .timeout || code == .tls || code == .connectionClosed || code == .outcomeUnknown
    }
}
