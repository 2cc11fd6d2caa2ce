internal import Bolt
import CoreMetrics
public import PackStream

/// The one door to the graph database: opens it from its settings, checks that it answers,
/// tells its dialect, runs a user's query, and hands out the ``GraphWriter`` and the
/// ``GraphReader``. Nothing above GraphStore sees a Bolt connection.
public final class GraphDatabase: Sendable {
    public let settings: GraphDatabaseSettings
    /// Writes the graph model in batches.
    public let writer: GraphWriter
    /// Reads the graph model (the consistency check, `graphingest context`).
    public let reader: GraphReader
    private let client: BoltClient

    /// Transactions the client ran again after a transient error (`graphingest_retries_total{server="graph"}`).
    static let retries = Counter(label: "graphingest_retries_total", dimensions: [("server", "graph")])

    /// Opens (lazily: connections are made on first use) the database `settings` names.
    ///
    /// - Parameters:
    ///   - connections: the connection pool's size.
    ///   - planner: the bounds of one write statement.
    ///   - userAgent: what HELLO tells the server.
    /// - Throws: ``GraphStoreError`` `.configuration` for a URI the client cannot use.
    public init(settings: GraphDatabaseSettings, connections: Int = 3, planner: GraphBatchPlanner = GraphBatchPlanner(),
                userAgent: String) throws(GraphStoreError) {
        var configuration: BoltConfiguration
        do {
            configuration = try BoltConfiguration(uri: settings.uri, auth: settings.credentials.boltAuth, userAgent: userAgent)
        } catch {
            throw GraphStoreError.from(error) ?? GraphStoreError(.configuration, "\(settings.uri): \(error)")
        }
        configuration.maximumPoolSize = max(2, connections)
        configuration.retryObserver = { _ in GraphDatabase.retries.increment() }
        let client = BoltClient(configuration: configuration)
        self.settings = settings
        self.client = client
        self.writer = GraphWriter(client: client, database: settings.database, planner: planner)
        self.reader = GraphReader(client: client, database: settings.database)
    }

    /// Opens the database, runs `body`, and closes it again (also when `body` throws).
    public static func withDatabase<Result: Sendable>(
        _ settings: GraphDatabaseSettings, connections: Int = 3, planner: GraphBatchPlanner = GraphBatchPlanner(), userAgent: String,
        _ body: (GraphDatabase) async throws -> Result
    ) async throws -> Result {
        let database = try GraphDatabase(settings: settings, connections: connections, planner: planner, userAgent: userAgent)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    /// Fails with ``GraphStoreError`` `.unreachable`, naming the URI and the cause, when the
    /// server does not answer (or refuses the login: `.configuration`).
    public func verifyConnectivity() async throws {
        do {
            try await client.verifyConnectivity()
        } catch {
            guard var failure = GraphStoreError.from(error) else { throw error }
            if failure.code == .unreachable && !failure.message.contains(settings.uri) {
                failure.message = "cannot reach the Bolt server at \(settings.uri): \(failure.message)"
            }
            throw failure
        }
    }

    /// The dialect asked for, or the one the server's agent names (Neo4j when it names none).
    ///
    /// The agent is the one HELLO named on the connection the graph's writes use (in a cluster,
    /// the writer's), which goes back to the pool for that work; no transaction is run for it,
    /// so a reader that is down does not stop a command that only needs the writer.
    /// - Throws: ``GraphStoreError`` when the server cannot be reached.
    public func dialect() async throws -> (GraphDialect, detected: Bool) {
        if let dialect = settings.dialect { return (dialect, false) }
        let agent: String?
        do {
            agent = try await client.withSession(database: settings.database, accessMode: .write) { session in
                try await session.serverAgent()
            }
        } catch {
            throw GraphStoreError.from(error) ?? error
        }
        return (agent.flatMap(GraphDialect.init(serverAgent:)) ?? .neo4j, true)
    }

    /// The dimensions of the vector index on `Chunk.embedding`, or nil when there is none (or
    /// the dialect has no vector index over Cypher): a load's embeddings must all have them.
    public func chunkVectorIndexDimensions(dialect: GraphDialect) async throws -> Int? {
        guard let statement = dialect.chunkVectorIndexDimensionsQuery else { return nil }
        let result = try await query(statement, read: true)
        guard case .integer(let dimensions)? = result.rows.first?.first else { return nil }
        return Int(dimensions)
    }

    /// Runs one statement in a managed transaction (retried on transient errors) and returns
    /// all its records.
    /// - Parameter read: a read transaction (routed to a reader in a cluster).
    /// - Throws: ``GraphStoreError`` naming the server and what it answered.
    public func query(_ cypher: String, parameters: [String: PackStreamValue] = [:], read: Bool = false) async throws -> GraphQueryResult {
        let values = parameters.mapValues { PackStreamParameter.value($0) }
        do {
            return try await client.withSession(database: settings.database) { session in
                let work: (BoltTransaction) async throws -> GraphQueryResult = { transaction in
                    let result = try await transaction.run(cypher, parameters: values)
                    let records = try await result.collect()
                    let keys = try await result.keys()
                    let summary = try await result.consume()
                    return GraphQueryResult(keys: keys, rows: records.map(\.values), counters: GraphUpdateCounters(summary.counters))
                }
                return read ? try await session.executeRead(work) : try await session.executeWrite(work)
            }
        } catch {
            throw GraphStoreError.from(error) ?? error
        }
    }

    /// Closes every connection (with GOODBYE where the connection is still usable).
    public func close() async {
        await client.shutdown()
    }
}

/// What a query returned: its columns, its rows and what it changed.
public struct GraphQueryResult: Sendable {
    /// The column names, in order.
    public var keys: [String]
    /// The records, each with one value per key.
    public var rows: [[PackStreamValue]]
    public var counters: GraphUpdateCounters
}

/// What a statement changed, as the server counted it.
public struct GraphUpdateCounters: Sendable, Hashable {
    public var nodesCreated = 0
    public var nodesDeleted = 0
    public var relationshipsCreated = 0
    public var relationshipsDeleted = 0
    public var propertiesSet = 0
    public var labelsAdded = 0

    init(_ counters: BoltCounters) {
        nodesCreated = counters.nodesCreated
        nodesDeleted = counters.nodesDeleted
        relationshipsCreated = counters.relationshipsCreated
        relationshipsDeleted = counters.relationshipsDeleted
        propertiesSet = counters.propertiesSet
        labelsAdded = counters.labelsAdded
    }

    /// Whether the statement changed anything.
    public var containsUpdates: Bool {
        nodesCreated + nodesDeleted + relationshipsCreated + relationshipsDeleted + propertiesSet + labelsAdded > 0
    }
}
