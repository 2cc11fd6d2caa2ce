extension RegistryStore {
    /// Runs `body` holding the liveness lock of worker `workerID`: a session-level advisory lock,
    /// on a connection of its own, that the server releases the moment this process or its
    /// session dies. Other workers then take the worker's documents over at once rather than
    /// after its lease (see migration 9, `lease_is_live`). Register the worker with
    /// `holdsLivenessLock` inside `body`, once the lock is held.
    public func withLivenessLock<T: Sendable>(workerID: String, _ body: (RegistryLivenessLock) async throws -> T) async throws -> T {
        let lock = RegistryLivenessLock(settings: pool.settings, workerID: workerID,
                                        statement: sql("SELECT pg_try_advisory_lock(hashtext('{schema}.workers alive'), hashtext($1))"))
        try await lock.take()
        do {
            let value = try await body(lock)
            await lock.release()
            return value
        } catch {
            await lock.release()
            throw error
        }
    }
}

/// A worker's liveness lock (``RegistryStore/withLivenessLock(workerID:_:)``): the session that
/// holds it stands for the worker's life.
public actor RegistryLivenessLock {
    private let settings: RegistryConnectionSettings
    private let workerID: String
    private let statement: String
    private var connection: PostgresConnection?

    init(settings: RegistryConnectionSettings, workerID: String, statement: String) {
        self.settings = settings
        self.workerID = workerID
        self.statement = statement
    }

    /// Opens the lock's session and takes the lock. A worker id is unique (host, pid, start), so
    /// no other session holds it, unless an earlier session of this worker that the server has
    /// not yet seen die still does: then the lock is this worker's all the same.
    func take() async throws {
        let connection = try await PostgresConnection.connect(settings)
        let (statement, workerID) = (self.statement, self.workerID)
        do {
            _ = try await connection.run("livenessLock") { try $0.execute(statement, [workerID], operation: "livenessLock") }
        } catch {
            await connection.close()
            throw error
        }
        self.connection = connection
    }

    /// Checks that the lock's session is alive, and takes the lock again on a new one when it was
    /// lost (the server restarted, the network dropped it): meanwhile other workers may have
    /// taken this worker's documents over, which the commit's lease checks account for.
    public func keepHeld() async throws {
        if let connection {
            do {
                _ = try await connection.run("livenessLock") { try $0.execute("SELECT 1", operation: "livenessLock") }
                return
            } catch {
                await connection.close()
                self.connection = nil
            }
        }
        try await take()
    }

    /// Closes the session, which releases the lock.
    func release() async {
        await connection?.close()
        connection = nil
    }
}
