import CLibPQ
import Foundation

/// One libpq connection, isolated to its own thread.
///
/// An actor whose executor is a dedicated thread (`PostgresConnectionExecutor`): every libpq call
/// runs there, never on Swift's cooperative pool. Callers outside hop onto it with `await`;
/// code that needs several statements in a row (a transaction, a COPY followed by an INSERT)
/// runs as one synchronous closure on the connection (`run`, `withTransaction`), so nothing else
/// can interleave with it.
package actor PostgresConnection {
    private let executor: PostgresConnectionExecutor
    /// Sends cancel requests for the running statement when a caller's task is cancelled.
    package nonisolated let canceller = PostgresCanceller()
    /// Where the connection goes; also scrubs the password from libpq's messages.
    package nonisolated let settings: RegistryConnectionSettings
    /// The libpq handle; nil before `open()` and after `close()`.
    var handle: OpaquePointer? {
        get { owned?.pointer }
        set { owned = newValue.map(OwnedHandle.init(pointer:)) }
    }
    private var owned: OwnedHandle?

    /// The `PGconn` pointer, made Sendable so that `deinit` may hand it to the executor.
    ///
    /// @unchecked Sendable: the pointer is only used on the connection's thread, inside the actor
    /// or in the executor's final action, which runs on that thread after the last job.
    private struct OwnedHandle: @unchecked Sendable {
        let pointer: OpaquePointer
    }
    /// Session state created on demand (temporary tables); forgotten when the session is lost.
    var sessionObjects: Set<String> = []

    package nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    private init(settings: RegistryConnectionSettings) {
        self.settings = settings
        self.executor = PostgresConnectionExecutor(name: "graphingest-pq")
    }

    deinit {
        // PQfinish runs on the connection thread like every other libpq call, after any job
        // still queued there.
        let owned = self.owned
        executor.stop { if let owned { PQfinish(owned.pointer) } }
    }

    /// Opens a connection; libpq's blocking connect runs on the connection's own thread.
    ///
    /// - Throws: `RegistryError` with code `connectionFailed`; its message never holds the password.
    package static func connect(_ settings: RegistryConnectionSettings) async throws -> PostgresConnection {
        let connection = PostgresConnection(settings: settings)
        try await connection.open()
        return connection
    }

    private func open() throws {
        // The conninfo is expanded in place of `dbname`; the application name shows in
        // pg_stat_activity unless the conninfo sets its own.
        let keywords = ["dbname", "fallback_application_name"]
        let values = [settings.conninfo, "graphingest"]
        let connection = Self.withCStrings(keywords) { keywords in
            Self.withCStrings(values) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { settings.scrub(Self.clientMessage($0)) } ?? "out of memory"
            if let connection { PQfinish(connection) }
            throw RegistryError(.connectionFailed, operation: "connect", message: message)
        }
        handle = connection
        canceller.attach(connection)
        try configureSession()
    }

    /// Silences NOTICEs (libpq prints them to stderr) and fixes the session settings that the
    /// text decoders rely on.
    private func configureSession() throws {
        guard let handle else { return }
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'iso_8601'; SET extra_float_digits = 3", operation: "connect")
    }

    /// Closes the connection; later calls throw `connectionClosed`.
    package func close() {
        canceller.attach(nil)
        if let handle { PQfinish(handle) }
        handle = nil
        sessionObjects.removeAll()
    }

    /// Re-opens a lost connection with libpq's `PQreset`.
    ///
    /// - Throws: `RegistryError` `connectionFailed` when the server is still unreachable.
    package func reset(operation: String) throws {
        guard let handle else {
            throw RegistryError(.connectionClosed, operation: operation, message: "the connection was closed")
        }
        sessionObjects.removeAll()
        PQreset(handle)
        guard PQstatus(handle) == CONNECTION_OK else {
            throw RegistryError(.connectionFailed, operation: operation, message: settings.scrub(Self.clientMessage(handle)))
        }
        canceller.attach(handle)
        try configureSession()
    }

    /// True when the connection is open and idle outside any transaction: fit to go back to a pool.
    package var isReusable: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// True when called on the connection's own thread (for tests and assertions).
    package nonisolated var isOnConnectionThread: Bool {
        executor.isCurrentThread
    }

    /// The server process id of this session (for `pg_terminate_backend` in tests and logs).
    package var backendPID: Int32 {
        handle.map { PQbackendPID($0) } ?? 0
    }

    /// The open handle, or an error that says the connection is closed.
    func requireHandle(_ operation: String) throws -> OpaquePointer {
        guard let handle else {
            throw RegistryError(.connectionClosed, operation: operation, message: "the connection was closed")
        }
        return handle
    }

    /// A NULL-terminated array of C strings for libpq's keyword/value calls.
    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    /// libpq's own message for the connection, trimmed.
    static func clientMessage(_ handle: OpaquePointer) -> String {
        guard let text = PQerrorMessage(handle) else { return "unknown libpq error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body` on the connection's thread with exclusive use of the connection.
    ///
    /// When the calling task is cancelled, the running statement is cancelled on the server and
    /// the call throws `RegistryError.Code.cancelled`. Errors thrown by `body` that carry no
    /// operation name get `operation`.
    package nonisolated func run<T: Sendable>(
        _ operation: String,
        _ body: @Sendable (isolated PostgresConnection) throws -> T
    ) async throws -> T {
        try await withTaskCancellationHandler {
            try await runIsolated(operation, body)
        } onCancel: {
            canceller.requestCancel()
        }
    }

    private func runIsolated<T: Sendable>(
        _ operation: String,
        _ body: @Sendable (isolated PostgresConnection) throws -> T
    ) throws -> T {
        if Task.isCancelled {
            throw RegistryError(.cancelled, operation: operation, message: "the task was cancelled before the operation started")
        }
        canceller.begin()
        defer { canceller.end() }
        do {
            return try body(self)
        } catch var error as RegistryError {
            // A failed transaction may have rolled back the creation of a temporary table.
            sessionObjects.removeAll()
            if error.operation.isEmpty { error.operation = operation }
            throw error
        } catch {
            sessionObjects.removeAll()
            throw error
        }
    }
}
