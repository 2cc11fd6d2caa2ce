/// Two entities by registry id, the lower first: one CO_OCCURS_WITH edge's ends.
public struct EntityPair: Sendable, Hashable, Comparable {
    public var a: Int64
    public var b: Int64

    /// The pair of two distinct ids, in either order.
    public init(_ first: Int64, _ second: Int64) {
        a = min(first, second)
        b = max(first, second)
    }

    public static func < (lhs: EntityPair, rhs: EntityPair) -> Bool { (lhs.a, lhs.b) < (rhs.a, rhs.b) }
}

/// How many windows of one document hold both entities of a pair (a row of `document_pairs`).
public struct PairCount: Sendable, Hashable {
    public var pair: EntityPair
    public var count: Int

    public init(pair: EntityPair, count: Int) {
        self.pair = pair
        self.count = count
    }
}

/// A pair's corpus totals (a row of `pair_totals`): what its CO_OCCURS_WITH edge holds when
/// `count` reaches the threshold.
public struct PairTotal: Sendable, Hashable {
    public var pair: EntityPair
    /// Windows, over the whole corpus, that hold both.
    public var count: Int64
    /// Documents with a window that holds both.
    public var documents: Int64
    /// The count the graph's edge held when last written; nil when the graph has no edge.
    public var graphCount: Int64?
    /// Changes each time the totals change: a sync marks the pair written only if it is unchanged.
    public var revision: Int64

    public init(pair: EntityPair, count: Int64, documents: Int64, graphCount: Int64? = nil, revision: Int64 = 0) {
        self.pair = pair
        self.count = count
        self.documents = documents
        self.graphCount = graphCount
        self.revision = revision
    }
}
