@testable import Communities

/// SplitMix64: a small seeded generator, so test graphs are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum TestGraphs {
    /// The keys `"<prefix>:<i>"` for i in 0..<count.
    static func keys(_ prefix: String, _ count: Int) -> [String] {
        (0..<count).map { "\(prefix):\($0)" }
    }

    /// Every pair of `keys`, with `weight`.
    static func clique(_ keys: [String], weight: Int = 3) -> [CommunityEdge] {
        var edges: [CommunityEdge] = []
        for i in keys.indices {
            for j in keys.indices where j > i {
                edges.append(CommunityEdge(source: keys[i], target: keys[j], weight: weight))
            }
        }
        return edges
    }

    /// `count` cliques of `size`, clique i joined to clique i + 1 (and the last to the first) by
    /// one edge of weight 1.
    static func ringOfCliques(count: Int, size: Int, prefix: String = "ring") -> (cliques: [[String]], edges: [CommunityEdge]) {
        let cliques = (0..<count).map { keys("\(prefix)\($0)", size) }
        var edges = cliques.flatMap { clique($0) }
        for index in cliques.indices {
            let next = cliques[(index + 1) % count]
            edges.append(CommunityEdge(source: cliques[index][size - 1], target: next[0], weight: 1))
        }
        return (cliques, edges)
    }

    /// A planted partition: `blocks` blocks of `blockSize` vertices, `edges` distinct random
    /// edges, each inside a block with probability `inside`, weights 1...5.
    static func planted(blocks: Int, blockSize: Int, edges count: Int, inside: Double, seed: UInt64) -> [CommunityEdge] {
        var random = SplitMix64(seed: seed)
        let vertexCount = blocks * blockSize
        var seen = Set<[Int]>()
        var edges: [CommunityEdge] = []
        while edges.count < count {
            let a = Int.random(in: 0..<vertexCount, using: &random)
            let b: Int
            if Double.random(in: 0..<1, using: &random) < inside {
                b = a / blockSize * blockSize + Int.random(in: 0..<blockSize, using: &random)
            } else {
                b = Int.random(in: 0..<vertexCount, using: &random)
            }
            guard a != b, seen.insert([min(a, b), max(a, b)]).inserted else { continue }
            edges.append(CommunityEdge(source: "e:\(a)", target: "e:\(b)", weight: Int.random(in: 1...5, using: &random)))
        }
        return edges
    }

    /// The edges shuffled, each flipped or not, by `seed`.
    static func scrambled(_ edges: [CommunityEdge], seed: UInt64) -> [CommunityEdge] {
        var random = SplitMix64(seed: seed)
        return edges.shuffled(using: &random).map { edge in
            Bool.random(using: &random) ? CommunityEdge(source: edge.target, target: edge.source, weight: edge.weight) : edge
        }
    }
}
