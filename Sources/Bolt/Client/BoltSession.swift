import NIOCore
import PackStream
import Synchronization

/// A sequence of units of work against one database, chained by bookmarks (each transaction
/// sees what the previous one committed). Get one from ``BoltClient/withSession(database:accessMode:bookmarks:_:)``.
///
/// A session holds at most one connection at a time and runs one unit of work at a time.
public final class BoltSession: Sendable {
    private struct State {
        var connection: BoltConnection?
        /// The access mode the connection was routed for.
        var connectionMode: BoltAccessMode = .write
        var bookmarks: [String]
        var openResult: BoltResult?
    }

    /// The database, or nil for the server's default.
    public let database: String?
    /// The access mode of ``run(_:parameters:)`` and ``withTransaction(_:)``.
    public let accessMode: BoltAccessMode
    private let client: BoltClient
    private let state: Mutex<State>

    init(client: BoltClient, database: String?, accessMode: BoltAccessMode, bookmarks: [String]) {
        self.client = client
        self.database = database
        self.accessMode = accessMode
        self.state = Mutex(State(bookmarks: bookmarks))
    }

    /// The bookmarks of the last committed unit of work (pass them to another session to chain).
    public var bookmarks: [String] { state.withLock { $0.bookmarks } }

    private func configuration(_ mode: BoltAccessMode, timeout: Duration?, metadata: [String: PackStreamValue]) -> BoltTransactionConfiguration {
        BoltTransactionConfiguration(database: database, bookmarks: bookmarks, timeout: timeout, metadata: metadata, accessMode: mode)
    }

    /// The session's connection for this mode, after finishing a previous auto-commit result.
    private func connection(for mode: BoltAccessMode) async throws -> BoltConnection {
        let (current, currentMode, open) = state.withLock { state in
            defer { state.openResult = nil }
            return (state.connection, state.connectionMode, state.openResult)
        }
        if let open, open.isOpen { _ = try? await open.consume() }
        if let current {
            // A routed session switches servers between reads and writes; a direct one keeps its connection.
            if current.isOpen, client.router == nil || mode == currentMode { return current }
            state.withLock { $0.connection = nil }
            await client.pool.release(current)
        }
        let connection = try await client.acquire(mode, database: database, bookmarks: bookmarks)
        state.withLock { state in
            state.connection = connection
            state.connectionMode = mode
        }
        return connection
    }

    /// The agent the server named in its HELLO answer (e.g. `Neo4j/5.26.0`), on the connection
    /// this session's work in `accessMode` uses: in a cluster, the writer's or a reader's. Opens
    /// that connection when the session holds none, and runs nothing on it.
    ///
    /// - Parameter accessMode: overrides the session's.
    /// - Throws: ``BoltError`` when no server for the access mode can be reached.
    public func serverAgent(accessMode: BoltAccessMode? = nil) async throws -> String? {
        try await connection(for: accessMode ?? self.accessMode).serverAgent
    }

    /// Gives the connection back to the pool.
    func close() async {
        let (connection, open) = state.withLock { state in
            defer {
                state.connection = nil
                state.openResult = nil
            }
            return (state.connection, state.openResult)
        }
        if let open, open.isOpen { _ = try? await open.consume() }
        if let connection { await client.pool.release(connection) }
    }

    /// After an error: a lost connection leaves the session, a routed server is forgotten.
    private func handle(_ error: any Error, on connection: BoltConnection) async {
        if let error = error as? BoltError { await client.noteFailure(error, on: connection.address) }
        if !connection.isOpen || (error as? BoltError)?.isClusterRoleChange == true {
            state.withLock { if $0.connection === connection { $0.connection = nil } }
            await client.pool.release(connection)
        }
    }

    /// Runs one auto-commit query; its records stream through the result (read it before the
    /// session's next query, or it is discarded then).
    ///
    /// - Parameters:
    ///   - accessMode: overrides the session's.
    ///   - timeout: a server-side transaction timeout.
    ///   - metadata: transaction metadata for the server's logs.
    public func run(
        _ query: String, parameters: [String: PackStreamParameter] = [:], accessMode: BoltAccessMode? = nil,
        timeout: Duration? = nil, metadata: [String: PackStreamValue] = [:]
    ) async throws -> BoltResult {
        let mode = accessMode ?? self.accessMode
        let connection = try await connection(for: mode)
        let configuration = configuration(mode, timeout: timeout, metadata: metadata)
        let fetchSize = client.configuration.fetchSize
        let futures = connection.send(2, startsUnitOfWork: true) { encoder in
            encoder.run(query, parameters: parameters, configuration: configuration)
            encoder.pull(Int64(fetchSize))
        }
        // The bookmark arrives with the final summary, whichever PULL brings it: chain it then.
        let result = BoltResult(connection: connection, run: futures[0], pull: futures[1], fetchSize: fetchSize) { [weak self] summary in
            if let bookmark = summary.bookmark { self?.state.withLock { $0.bookmarks = [bookmark] } }
        }
        state.withLock { $0.openResult = result }
        do {
            _ = try await result.keys()
        } catch {
            await handle(error, on: connection)
            throw error
        }
        return result
    }

    /// Runs `work` in one explicit transaction and commits it; rolls back when `work` throws.
    /// No retry: see ``executeWrite(_:)`` for that.
    @discardableResult
    nonisolated(nonsending) public func withTransaction<Result>(
        accessMode: BoltAccessMode? = nil, timeout: Duration? = nil, metadata: [String: PackStreamValue] = [:],
        _ work: (BoltTransaction) async throws -> Result
    ) async throws -> Result {
        let mode = accessMode ?? self.accessMode
        let connection = try await connection(for: mode)
        let transaction = BoltTransaction(
            connection: connection, configuration: configuration(mode, timeout: timeout, metadata: metadata),
            fetchSize: client.configuration.fetchSize)
        do {
            let result = try await work(transaction)
            if let bookmark = try await transaction.commit() {
                state.withLock { $0.bookmarks = [bookmark] }
            }
            return result
        } catch {
            try? await transaction.rollback()
            await handle(error, on: connection)
            throw error
        }
    }

    /// Runs `work` in a write transaction, retrying retryable errors (transient server errors,
    /// a connection lost before COMMIT, a leader change) with exponential backoff and jitter for
    /// up to the client's `maximumRetryTime`. `work` must be safe to run more than once.
    @discardableResult
    nonisolated(nonsending) public func executeWrite<Result>(
        timeout: Duration? = nil, metadata: [String: PackStreamValue] = [:], _ work: (BoltTransaction) async throws -> Result
    ) async throws -> Result {
        try await retrying { try await withTransaction(accessMode: .write, timeout: timeout, metadata: metadata, work) }
    }

    /// Like ``executeWrite(timeout:metadata:_:)`` for reads (routed to a reader).
    @discardableResult
    nonisolated(nonsending) public func executeRead<Result>(
        timeout: Duration? = nil, metadata: [String: PackStreamValue] = [:], _ work: (BoltTransaction) async throws -> Result
    ) async throws -> Result {
        try await retrying { try await withTransaction(accessMode: .read, timeout: timeout, metadata: metadata, work) }
    }

    nonisolated(nonsending) private func retrying<Result>(_ attempt: () async throws -> Result) async throws -> Result {
        let configuration = client.configuration
        let start = ContinuousClock.now
        var delay = configuration.initialRetryDelay
        while true {
            do {
                return try await attempt()
            } catch let error as BoltError {
                let jittered = delay * Double.random(in: 0.8...1.2)
                guard error.isRetryable, ContinuousClock.now - start + jittered <= configuration.maximumRetryTime else { throw error }
                configuration.retryObserver?(error)
                try await Task.sleep(for: jittered)
                delay *= 2
            }
        }
    }
}
