/// One undirected, weighted edge of the graph to cluster: two entity keys (for example
/// `"org:who"`) and how often they co-occur.
///
/// The orientation does not matter: `(a, b)` and `(b, a)` are the same edge. Detection refuses a
/// pair given twice (in either orientation), a self-loop, and a weight below 1, rather than
/// guessing whether duplicates should add up: `CO_OCCURS_WITH` holds one edge per unordered pair.
public struct CommunityEdge: Hashable, Sendable {
    /// One end's entity key.
    public var source: String
    /// The other end's entity key.
    public var target: String
    /// The co-occurrence count; at least 1.
    public var weight: Int

    /// Makes an edge between `source` and `target` of weight `weight`.
    public init(source: String, target: String, weight: Int) {
        self.source = source
        self.target = target
        self.weight = weight
    }
}
