// Leiden's time and peak memory as the co-occurrence graph grows (issue 26): synthetic graphs of
// 10^5, 10^6 and (with --largest 7) 10^7 edges whose degrees follow a power law like a corpus's
// entity graph (a few entities in many pairs, most in few; Chung-Lu sampling), weights as
// co-occurrence counts (most 2, a tail of larger ones). Run in release:
// `swift run -c release CommunityBenchmark [--largest 7]`. Sizes run in ascending order in one
// process, so the peak RSS printed after a size is the peak up to it.
import Communities
import Foundation

/// A deterministic generator (SplitMix64), so every run measures the same graphs.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}

/// `edges` distinct pairs over `edges / 5` entities, endpoints drawn in proportion to power-law
/// weights (exponent 2.5), keys shaped like gazetteer ids.
func syntheticGraph(edges: Int, seed: UInt64) -> [CommunityEdge] {
    var random = SplitMix64(state: seed)
    let vertices = max(10, edges / 5)
    var cumulative = [Double](repeating: 0, count: vertices)
    var total = 0.0
    for index in 0..<vertices {
        total += pow(Double(index + 1), -1.0 / 1.5)
        cumulative[index] = total
    }
    func draw() -> Int {
        let target = random.unit() * total
        var low = 0, high = vertices - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return low
    }
    var seen = Set<UInt64>()
    var result: [CommunityEdge] = []
    result.reserveCapacity(edges)
    while result.count < edges {
        let a = draw(), b = draw()
        guard a != b else { continue }
        let (low, high) = (min(a, b), max(a, b))
        guard seen.insert(UInt64(low) << 32 | UInt64(high)).inserted else { continue }
        let weight = random.unit() < 0.7 ? 2 : 2 + Int(-log(max(random.unit(), 1e-12)) * 4)
        result.append(CommunityEdge(source: "geo:\(low)", target: "geo:\(high)", weight: weight))
    }
    return result
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

let arguments = CommandLine.arguments
let largest = arguments.firstIndex(of: "--largest").flatMap { Int(arguments[$0 + 1]) } ?? 6
print("Leiden (igraph, hierarchical, default options: \(CommunityOptions.standard.fingerprint))")
for exponent in 5...largest {
    let edges = Int(pow(10.0, Double(exponent)))
    let graph = syntheticGraph(edges: edges, seed: UInt64(exponent))
    let clock = ContinuousClock()
    let start = clock.now
    let hierarchy = try CommunityDetector().detect(graph)
    let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
    let levels = hierarchy.levels.map { "L\($0.level): \($0.communityCount) (largest \($0.communities.map(\.size).max() ?? 0), Q \(String(format: "%.3f", $0.modularity)))" }
    print(String(format: "10^%d edges, %d entities: %.2f s, peak RSS %.0f MB; ", exponent, graph.reduce(into: Set<String>()) { $0.insert($1.source); $0.insert($1.target) }.count,
                 seconds, peakRSSMegabytes()) + levels.joined(separator: ", "))
}
