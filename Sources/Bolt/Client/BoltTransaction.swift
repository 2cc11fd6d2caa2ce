import NIOCore
import PackStream
import Synchronization

/// An explicit transaction on one connection.
///
/// BEGIN is not sent on its own: it goes out with the first query, so BEGIN, RUN and PULL leave
/// in one flush. Queries do not wait for each other: ``run(_:parameters:)`` returns as soon as
/// the requests are written.
public final class BoltTransaction: Sendable {
    private struct State {
        var pendingBegin: BoltTransactionConfiguration?
        var results: [BoltResult] = []
        /// No more queries: COMMIT or ROLLBACK was asked for.
        var finished = false
        var commitSent = false
        /// COMMIT succeeded or ROLLBACK (or RESET) went out: nothing is left to end.
        var ended = false
        var failure: BoltError?
    }

    /// The connection the transaction runs on.
    public let connection: BoltConnection
    private let fetchSize: Int
    private let state: Mutex<State>

    init(connection: BoltConnection, configuration: BoltTransactionConfiguration, fetchSize: Int) {
        self.connection = connection
        self.fetchSize = fetchSize
        self.state = Mutex(State(pendingBegin: configuration))
    }

    /// Runs a query in the transaction; its records stream through the returned result.
    ///
    /// - Parameters:
    ///   - query: Cypher.
    ///   - parameters: plain values or encodable rows (``PackStreamParameter/rows(_:)``).
    /// - Throws: ``BoltError`` `.transactionClosed` after commit, rollback or an earlier failure;
    ///   server errors surface when the result is read.
    public func run(_ query: String, parameters: [String: PackStreamParameter] = [:]) async throws -> BoltResult {
        try send(query, parameters: parameters, keepsRecords: true, pullCount: Int64(fetchSize))
    }

    /// Runs a query whose records nobody reads (a write): they are counted, not kept, and the
    /// summary with its counters comes back.
    @discardableResult
    public func execute(_ query: String, parameters: [String: PackStreamParameter] = [:]) async throws -> BoltResultSummary {
        let result = try send(query, parameters: parameters, keepsRecords: false, pullCount: -1)
        do {
            return try await result.consume()
        } catch let error as BoltError {
            fail(error)
            throw error
        }
    }

    private func send(_ query: String, parameters: [String: PackStreamParameter], keepsRecords: Bool, pullCount: Int64) throws -> BoltResult {
        let begin = try state.withLock { state -> BoltTransactionConfiguration? in
            if let failure = state.failure { throw failure }
            guard !state.finished else {
                throw BoltError(.transactionClosed, address: connection.address.description, reason: "transaction already ended")
            }
            defer { state.pendingBegin = nil }
            return state.pendingBegin
        }
        let count = begin == nil ? 2 : 3
        let futures = connection.send(count, startsUnitOfWork: begin != nil, keepsRecords: begin == nil ? [true, keepsRecords] : [true, true, keepsRecords]) { encoder in
            if let begin { encoder.begin(begin) }
            encoder.run(query, parameters: parameters, configuration: nil)
            encoder.pull(pullCount)
        }
        let result = BoltResult(connection: connection, run: futures[count - 2], pull: futures[count - 1], fetchSize: fetchSize)
        state.withLock { $0.results.append(result) }
        return result
    }

    /// Records a failure: the transaction can only be rolled back now.
    func fail(_ error: BoltError) {
        state.withLock { state in
            if state.failure == nil { state.failure = error }
        }
    }

    /// Commits and returns the bookmark.
    ///
    /// - Throws: the first server error of the transaction (the server IGNOREs COMMIT after a
    ///   FAILURE); `.outcomeUnknown` when the connection was lost after COMMIT was sent.
    @discardableResult
    public func commit() async throws -> String? {
        let results = try state.withLock { state -> [BoltResult] in
            if let failure = state.failure { throw failure }
            guard !state.finished else {
                throw BoltError(.transactionClosed, address: connection.address.description, reason: "transaction already ended")
            }
            state.finished = true
            return state.results
        }
        if state.withLock({ $0.pendingBegin != nil }) {
            return nil  // nothing was sent: there is nothing to commit
        }
        // Results still open must be finished before COMMIT (the server's TX_STREAMING rule).
        for result in results where result.isOpen {
            do { try await result.consume() } catch let error as BoltError {
                fail(error)
                throw error
            }
        }
        state.withLock { $0.commitSent = true }
        do {
            let response = try await connection.request { $0.commit() }
            state.withLock { $0.ended = true }
            return response.metadata["bookmark"]?.stringValue
        } catch let error as BoltError where error.code == .connectionClosed || error.code == .timeout {
            throw BoltError(.outcomeUnknown, address: connection.address.description,
                            reason: "connection lost after COMMIT was sent", underlying: error)
        }
    }

    /// Rolls back: ROLLBACK, or RESET once the transaction failed (the server IGNOREs a ROLLBACK
    /// then; RESET ends the transaction and clears the failure, as Neo4j's drivers do). Nothing is
    /// sent when nothing was, or when the transaction already ended.
    ///
    /// - Throws: ``BoltError`` when the connection is lost.
    public func rollback() async throws {
        let send = state.withLock { state -> Bool in
            defer {
                state.finished = true
                state.ended = true
            }
            return !state.ended && state.pendingBegin == nil
        }
        guard send else { return }
        do {
            try await connection.rollback()
        } catch let error as BoltError where error.code == .server || error.code == .transactionClosed {
            // A FAILURE still on its way made the server IGNORE this ROLLBACK: the transaction is
            // over, and the pool RESETs the connection before anyone reuses it.
            return
        }
    }

    var hasFailed: Bool { state.withLock { $0.failure != nil } }
}
