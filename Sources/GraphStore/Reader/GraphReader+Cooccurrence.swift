import Bolt
import PackStream

extension GraphReader {
    /// How many CO_OCCURS_WITH edges the graph holds.
    public func cooccurrenceCount() async throws -> Int {
        try await collect(GraphCypher.countCooccurrences) { record in record[0].intValue.map(Int.init) }.first ?? 0
    }
}

/// A CO_OCCURS_WITH edge as the graph holds it, for the consistency check.
public struct GraphCooccurrenceEdge: Sendable, Hashable {
    /// The entity ids of the edge's start and end (the model wants `from < to`).
    public var from: Int64
    public var to: Int64
    /// The edge's `count` and `documents` (nil when missing or not integers).
    public var count: Int64?
    public var documents: Int64?

    public init(from: Int64, to: Int64, count: Int64?, documents: Int64?) {
        self.from = from
        self.to = to
        self.count = count
        self.documents = documents
    }
}
