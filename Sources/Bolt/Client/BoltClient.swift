import NIOCore
import NIOPosix
import PackStream

/// A Bolt client: a pool of connections to one server (`bolt://`) or to a routed cluster
/// (`neo4j://`), handing out sessions.
///
/// ```swift
/// let client = try BoltClient(uri: "bolt://localhost:7687", auth: .basic(user: "neo4j", password: secret))
/// let summary = try await client.withSession(database: "graph") { session in
///     try await session.executeWrite { tx in
///         try await tx.execute("UNWIND $rows AS row MERGE (d:Document {id: row.id})", parameters: ["rows": .rows(batch)])
///     }
/// }
/// await client.shutdown()
/// ```
public final class BoltClient: Sendable {
    /// The settings the client was made with.
    public let configuration: BoltConfiguration
    let pool: BoltConnectionPool
    let router: BoltRouter?

    /// Creates a client; no connection is opened until a session needs one.
    public init(configuration: BoltConfiguration, eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.pool = BoltConnectionPool(configuration: configuration, eventLoopGroup: eventLoopGroup)
        self.router = configuration.routing
            ? BoltRouter(seed: configuration.address, routingContext: configuration.routingContext(for: configuration.address) ?? [:], pool: pool)
            : nil
    }

    /// Creates a client from a URI (see ``BoltConfiguration/init(uri:auth:userAgent:)``).
    public convenience init(uri: String, auth: BoltAuth, userAgent: String = "graphingest/0.1.0") throws {
        self.init(configuration: try BoltConfiguration(uri: uri, auth: auth, userAgent: userAgent))
    }

    /// Runs `body` with a session whose connection goes back to the pool when it returns.
    ///
    /// - Parameters:
    ///   - database: the database (nil for the server's default).
    ///   - accessMode: the default for ``BoltSession/run(_:parameters:)`` and transactions.
    ///   - bookmarks: bookmarks the session's first transaction must see.
    @discardableResult
    nonisolated(nonsending) public func withSession<Result>(
        database: String? = nil, accessMode: BoltAccessMode = .write, bookmarks: [String] = [],
        _ body: (BoltSession) async throws -> Result
    ) async throws -> Result {
        let session = BoltSession(client: self, database: database, accessMode: accessMode, bookmarks: bookmarks)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// Checks that the server can be reached and accepts the credentials. A routed client asks a
    /// router for a routing table (which logs in), as Neo4j's drivers do: it connects to no
    /// reader or writer, so one that is down fails only the work that needs it.
    public func verifyConnectivity() async throws {
        if let router {
            try await router.refresh(database: nil, bookmarks: [])
            return
        }
        let connection = try await pool.acquire(configuration.address)
        await pool.release(connection)
    }

    /// Keeps the client alive until the task is cancelled, then shuts it down (for service groups).
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }

    /// Closes every connection (GOODBYE first); sessions still open fail.
    public func shutdown() async {
        await pool.shutdown()
    }

    /// A connection for a unit of work: the fixed server, or one from the routing table.
    ///
    /// A routed server that cannot be reached leaves the table and the next one of the access
    /// mode is tried; when none is left the router fetches the table again (as Neo4j's drivers
    /// do, https://neo4j.com/docs/bolt/current/driver-api/#_routing). A server the new table
    /// names again is not tried twice in one acquisition: that fails with the retryable
    /// `.connectionClosed`, and a managed transaction tries again later.
    func acquire(_ mode: BoltAccessMode, database: String?, bookmarks: [String]) async throws -> BoltConnection {
        guard let router else { return try await pool.acquire(configuration.address) }
        var unreachable: [BoltAddress: BoltError] = [:]
        while true {
            let address = try await router.address(for: mode, database: database, bookmarks: bookmarks)
            if let error = unreachable[address] {
                throw BoltError(.connectionClosed, address: address.description, reason: "routed server unreachable", underlying: error)
            }
            do {
                return try await pool.acquire(address)
            } catch let error as BoltError where error.code == .connectionFailed || error.code == .timeout {
                unreachable[address] = error
                await router.forget(address)
            }
        }
    }

    /// After an error: a routed server that is gone or no longer leads is dropped from the table.
    func noteFailure(_ error: BoltError, on address: BoltAddress) async {
        guard let router, error.isClusterRoleChange || error.code == .connectionClosed else { return }
        await router.forget(address)
    }
}
