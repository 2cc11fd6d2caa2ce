import NIOCore
import PackStream

/// What one request got back: the records that came before its summary (kept or only counted)
/// and the SUCCESS metadata.
package struct BoltResponse: Sendable {
    package var records: [[PackStreamValue]]
    package var recordCount: Int
    package var metadata: [String: PackStreamValue]

    package init(records: [[PackStreamValue]] = [], recordCount: Int = 0, metadata: [String: PackStreamValue] = [:]) {
        self.records = records
        self.recordCount = recordCount
        self.metadata = metadata
    }
}

/// Who waits for one request's response, and whether they want its records.
package struct BoltResponseWaiter: Sendable {
    package var promise: EventLoopPromise<BoltResponse>
    /// False to count records without keeping them (a write whose rows nobody reads).
    package var keepsRecords: Bool

    package init(promise: EventLoopPromise<BoltResponse>, keepsRecords: Bool = true) {
        self.promise = promise
        self.keepsRecords = keepsRecords
    }
}

/// Requests written together: their chunked bytes and one waiter per message, in order.
package struct BoltOutboundRequest: Sendable {
    package var bytes: ByteBuffer
    package var waiters: [BoltResponseWaiter]
    /// Whether these requests begin a new unit of work (BEGIN, an auto-commit RUN, ROUTE): after
    /// a FAILURE, the state machine sends RESET in front of them.
    package var startsUnitOfWork: Bool

    package init(bytes: ByteBuffer, waiters: [BoltResponseWaiter], startsUnitOfWork: Bool) {
        self.bytes = bytes
        self.waiters = waiters
        self.startsUnitOfWork = startsUnitOfWork
    }
}

/// What the API hands a connection's channel: encoded requests, or a request whose message the
/// state machine picks from the connection's state.
package enum BoltOutbound: Sendable {
    /// Requests already encoded (RUN, PULL, BEGIN, COMMIT...).
    case requests(BoltOutboundRequest)
    /// End the open transaction: ROLLBACK, or RESET after a FAILURE.
    case rollback(BoltResponseWaiter)
    /// RESET.
    case reset(BoltResponseWaiter)
    /// Make the connection clean before it goes back to the pool: RESET unless it is idle.
    case release(BoltResponseWaiter)
}
