/// A bounded set of `PostgresConnection`s, opened on demand and handed out one task at a time.
///
/// Waiters are served in order. A connection that comes back broken or inside a transaction is
/// closed rather than reused.
package actor PostgresConnectionPool {
    package let settings: RegistryConnectionSettings
    private let maximum: Int
    private var idle: [PostgresConnection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<PostgresConnection?, Never>] = []
    private var closed = false

    /// Makes a pool of at most `maximumConnections` connections to `settings`.
    package init(settings: RegistryConnectionSettings, maximumConnections: Int) {
        self.settings = settings
        self.maximum = max(1, maximumConnections)
    }

    /// Leases a connection for the duration of `body`.
    package nonisolated func withConnection<T: Sendable>(
        _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let connection = try await lease()
        do {
            let value = try await body(connection)
            await release(connection)
            return value
        } catch {
            await release(connection)
            throw error
        }
    }

    private func lease() async throws -> PostgresConnection {
        guard !closed else {
            throw RegistryError(.connectionClosed, operation: "connect", message: "the registry store was closed")
        }
        if let connection = idle.popLast() { return connection }
        if opened < maximum { return try await openConnection() }
        guard let connection = await withCheckedContinuation({ waiters.append($0) }) else {
            // A slot freed up because a broken connection was dropped: open a new one.
            return try await openConnection()
        }
        return connection
    }

    private func openConnection() async throws -> PostgresConnection {
        guard !closed else {
            throw RegistryError(.connectionClosed, operation: "connect", message: "the registry store was closed")
        }
        opened += 1
        do {
            return try await PostgresConnection.connect(settings)
        } catch {
            opened -= 1
            if !waiters.isEmpty { waiters.removeFirst().resume(returning: nil) }
            throw error
        }
    }

    private func release(_ connection: PostgresConnection) async {
        let reusable = await connection.isReusable
        if !reusable || closed {
            await connection.close()
            opened -= 1
            if !waiters.isEmpty { waiters.removeFirst().resume(returning: nil) }
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// Closes the idle connections; connections in use close when they come back.
    package func close() async {
        closed = true
        for waiter in waiters { waiter.resume(returning: nil) }
        waiters.removeAll()
        let connections = idle
        idle.removeAll()
        for connection in connections {
            await connection.close()
            opened -= 1
        }
    }
}
