import NIOCore
import PackStream
import Synchronization

/// The records of one query, as an AsyncSequence: records come in batches of the fetch size, and
/// the next `PULL {n}` is sent only when the consumer has used up the current batch, so records
/// are never buffered without bound.
///
/// Consume (iterate, ``collect()`` or ``consume()``) a result before the next auto-commit query
/// of its session; inside a transaction several results may be open at once.
public final class BoltResult: AsyncSequence, Sendable {
    /// A result yields records.
    public typealias Element = BoltRecord

    private struct State {
        var keys: [String]?
        var runMetadata: [String: PackStreamValue]?
        var batch: [[PackStreamValue]] = []
        var index = 0
        var pendingPull: EventLoopFuture<BoltResponse>?
        var hasMore = true
        var recordCount = 0
        var summary: BoltResultSummary?
    }

    private let connection: BoltConnection
    private let runResponse: EventLoopFuture<BoltResponse>
    private let fetchSize: Int
    private let state: Mutex<State>
    private let onSummary: (@Sendable (BoltResultSummary) -> Void)?

    init(
        connection: BoltConnection, run: EventLoopFuture<BoltResponse>, pull: EventLoopFuture<BoltResponse>, fetchSize: Int,
        onSummary: (@Sendable (BoltResultSummary) -> Void)? = nil
    ) {
        self.connection = connection
        self.runResponse = run
        self.fetchSize = fetchSize
        self.state = Mutex(State(pendingPull: pull))
        self.onSummary = onSummary
    }

    /// The result's keys (the RUN response's `fields`).
    public func keys() async throws -> [String] {
        try await runMetadata().keys
    }

    private func runMetadata() async throws -> (keys: [String], metadata: [String: PackStreamValue]) {
        if let known = state.withLock({ state in state.keys.map { ($0, state.runMetadata ?? [:]) } }) { return known }
        let metadata = try await runResponse.get().metadata
        let keys = metadata["fields"]?.listValue?.compactMap(\.stringValue) ?? []
        state.withLock { state in
            state.keys = keys
            state.runMetadata = metadata
        }
        return (keys, metadata)
    }

    private enum Step {
        case record([PackStreamValue], [String])
        case wait(EventLoopFuture<BoltResponse>)
        case pull
        case end
    }

    /// The next record, sending PULL when the batch is used up; nil at the end.
    func nextRecord() async throws -> BoltRecord? {
        let keys = try await runMetadata().keys
        while true {
            let step: Step = state.withLock { state in
                if state.index < state.batch.count {
                    defer { state.index += 1 }
                    return .record(state.batch[state.index], keys)
                }
                if let pull = state.pendingPull { return .wait(pull) }
                return state.hasMore ? .pull : .end
            }
            switch step {
            case .record(let values, let keys):
                return BoltRecord(keys: keys, values: values)
            case .wait(let future):
                let response = try await future.get()
                try await absorb(response, keepBatch: true)
            case .pull:
                let queryId = try await runMetadata().metadata["qid"]?.intValue ?? -1
                let fetchSize = Int64(self.fetchSize)
                let future = connection.send(1, startsUnitOfWork: false) { $0.pull(fetchSize, queryId: queryId) }[0]
                state.withLock { $0.pendingPull = future }
            case .end:
                return nil
            }
        }
    }

    private func absorb(_ response: BoltResponse, keepBatch: Bool) async throws {
        let run = try await runMetadata().metadata
        let summary = state.withLock { state -> BoltResultSummary? in
            state.pendingPull = nil
            state.batch = keepBatch ? response.records : []
            state.index = 0
            state.recordCount += response.recordCount
            state.hasMore = response.metadata["has_more"]?.boolValue ?? false
            if !state.hasMore {
                state.summary = BoltResultSummary(run: run, final: response.metadata, recordCount: state.recordCount)
                return state.summary
            }
            return nil
        }
        if let summary { onSummary?(summary) }
    }

    /// Reads all remaining records into an array.
    public func collect() async throws -> [BoltRecord] {
        var records: [BoltRecord] = []
        for try await record in self { records.append(record) }
        return records
    }

    /// Drops the remaining records (DISCARD) and returns the summary with the counters.
    @discardableResult
    public func consume() async throws -> BoltResultSummary {
        while true {
            let step: Step = state.withLock { state in
                state.batch = []
                state.index = 0
                if let pull = state.pendingPull { return .wait(pull) }
                return state.hasMore ? .pull : .end
            }
            switch step {
            case .wait(let future):
                try await absorb(try await future.get(), keepBatch: false)
            case .pull:
                let queryId = try await runMetadata().metadata["qid"]?.intValue ?? -1
                let future = connection.send(1, startsUnitOfWork: false) { $0.discard(-1, queryId: queryId) }[0]
                state.withLock { $0.pendingPull = future }
            case .record, .end:
                _ = try await runMetadata()
                if let summary = state.withLock({ $0.summary }) { return summary }
                throw BoltError(.protocolViolation, address: connection.address.description, reason: "result ended without a summary")
            }
        }
    }

    /// The summary, once the result is consumed; nil before.
    public var summary: BoltResultSummary? { state.withLock { $0.summary } }

    /// Whether records may still come (the server has not sent its final summary).
    var isOpen: Bool { state.withLock { $0.summary == nil } }

    /// Asks the result for records one by one (PULL when a batch is used up).
    public struct AsyncIterator: AsyncIteratorProtocol {
        let result: BoltResult
        public mutating func next() async throws -> BoltRecord? {
            try await result.nextRecord()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(result: self) }
}
