public import PackStream

/// One `(:Entity)-[:CO_OCCURS_WITH {count, documents}]->(:Entity)` edge as the registry's totals
/// give it: `a` is the lower entity id, `b` the higher. The row of
/// ``GraphCypher/mergeCooccurrences`` (`{a, b, c, n}`) and, for deletions,
/// ``GraphCypher/deleteCooccurrences`` (which reads only `a` and `b`). Ordered by its ends.
public struct GraphCooccurrenceRow: Sendable, Hashable, Comparable {
    public var a: Int64
    public var b: Int64
    /// Windows, over the corpus, that hold both entities.
    public var count: Int64
    /// Documents with such a window.
    public var documents: Int64

    public init(a: Int64, b: Int64, count: Int64, documents: Int64) {
        self.a = a
        self.b = b
        self.count = count
        self.documents = documents
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.a, lhs.b) < (rhs.a, rhs.b) }

    /// What the row weighs in PackStream at most, for batch bounds.
    var estimatedBytes: Int { 40 }
}

extension GraphCooccurrenceRow: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 4)
        writer.writeKey("a")
        writer.writeInteger(a)
        writer.writeKey("b")
        writer.writeInteger(b)
        writer.writeKey("c")
        writer.writeInteger(count)
        writer.writeKey("n")
        writer.writeInteger(documents)
    }
}
