/// An edge between two vertex numbers, `a < b`.
struct IndexedEdge: Hashable, Sendable {
    var a: Int
    var b: Int
    var weight: Int
}

/// The input as igraph sees it: vertices numbered in the order of their keys, edges sorted.
///
/// Keys are ordered by Unicode scalar values, which is the order of their UTF-8 bytes (not
/// Swift's `<`, which compares canonically equivalent strings as equal and may change with the
/// Unicode version). So the same edges, in any order and orientation, make the same graph.
struct CommunityGraph: Sendable {
    /// Every key that has an edge, in scalar order; a vertex's number is its index here.
    let keys: [String]
    /// Every edge, `a < b`, sorted by `(a, b)`.
    let edges: [IndexedEdge]

    /// Numbers the keys and sorts the edges.
    ///
    /// - Throws: `CommunityError.Code.invalidEdge` for a weight below 1, a self-loop, an
    ///   unordered pair given twice, a key holding a line feed (it separates keys in a
    ///   community's hash), or one key spelled two canonically equivalent ways (which Swift's
    ///   strings cannot tell apart, so which spelling won would depend on the input's order).
    init(_ input: [CommunityEdge]) throws {
        var spellings: [String: String] = [:]
        for edge in input {
            guard edge.weight >= 1 else {
                throw CommunityError(.invalidEdge, message: "the edge \(edge.source) - \(edge.target) has weight \(edge.weight); weights are at least 1")
            }
            guard edge.source != edge.target else {
                throw CommunityError(.invalidEdge, message: "the edge \(edge.source) - \(edge.target) is a self-loop")
            }
            try Self.register(edge.source, in: &spellings)
            try Self.register(edge.target, in: &spellings)
        }
        let keys = spellings.values.sorted(by: Self.precedes)
        var number: [String: Int] = [:]
        number.reserveCapacity(keys.count)
        for (index, key) in keys.enumerated() { number[key] = index }
        var edges = input.map { edge in
            let (x, y) = (number[edge.source]!, number[edge.target]!)
            return IndexedEdge(a: min(x, y), b: max(x, y), weight: edge.weight)
        }
        edges.sort { ($0.a, $0.b) < ($1.a, $1.b) }
        for (earlier, later) in zip(edges, edges.dropFirst()) where earlier.a == later.a && earlier.b == later.b {
            throw CommunityError(.invalidEdge, message: "the pair \(keys[later.a]) - \(keys[later.b]) is given twice; give each unordered pair once")
        }
        self.keys = keys
        self.edges = edges
    }

    /// Records `key`'s spelling, refusing a line feed and a second spelling of the same key.
    private static func register(_ key: String, in spellings: inout [String: String]) throws {
        if let known = spellings[key] {
            guard known.utf8.elementsEqual(key.utf8) else {
                throw CommunityError(.invalidEdge, message: "the key \(known) comes in two canonically equivalent spellings; normalize the keys")
            }
            return
        }
        guard !key.utf8.contains(10) else {
            throw CommunityError(.invalidEdge, message: "the key \(key.debugDescription) holds a line feed")
        }
        spellings[key] = key
    }

    /// Unicode scalar (UTF-8 byte) order of keys.
    static func precedes(_ x: String, _ y: String) -> Bool {
        x.utf8.lexicographicallyPrecedes(y.utf8)
    }

    /// For each community of `partition` (vertex numbers), the edges with both ends in it, in
    /// the graph's edge order.
    func internalEdges(of partition: [[Int]]) -> [[IndexedEdge]] {
        var owner = [Int](repeating: -1, count: keys.count)
        for (community, members) in partition.enumerated() {
            for vertex in members { owner[vertex] = community }
        }
        var buckets = [[IndexedEdge]](repeating: [], count: partition.count)
        for edge in edges where owner[edge.a] == owner[edge.b] && owner[edge.a] >= 0 {
            buckets[owner[edge.a]].append(edge)
        }
        return buckets
    }
}
