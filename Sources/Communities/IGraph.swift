internal import CIGraph
import Synchronization

/// igraph's C API, behind one process-wide lock.
///
/// Debian's libigraph 0.10 is built with `IGRAPH_THREAD_SAFE` 0: its random number generator,
/// its error handlers and its stack of temporaries to free on error are globals. So every call
/// (each builds its graph, runs and frees it in C: `CIGraph/leiden.c`) holds `lock`; and the RNG
/// is seeded inside the Leiden call, which makes its result depend only on its input, whatever ran
/// before or beside it. The C side installs, once, handlers that make igraph return error codes
/// instead of aborting the process.
enum IGraph {
    /// The lock every igraph call holds.
    private static let lock = Mutex<Void>(())

    /// A weighted, undirected graph in igraph's terms.
    struct Input: Sendable {
        /// Vertices are 0..<vertexCount.
        var vertexCount: Int
        /// Two entries per edge, in edge order.
        var endpoints: [Int64]
        /// One weight per edge.
        var weights: [Double]
    }

    /// The membership (a community number per vertex) Leiden finds with the modularity
    /// objective, with the RNG seeded with `options.seed` just before the call.
    static func leiden(_ input: Input, nodeWeights: [Double], resolution: Double, options: CommunityOptions) throws -> [Int] {
        var membership = [Int64](repeating: 0, count: input.vertexCount)
        try locked {
            let code = input.endpoints.withUnsafeBufferPointer { endpoints in
                input.weights.withUnsafeBufferPointer { weights in
                    nodeWeights.withUnsafeBufferPointer { nodeWeights in
                        membership.withUnsafeMutableBufferPointer { membership in
                            gi_igraph_leiden(Int64(input.vertexCount), endpoints.baseAddress, Int64(input.weights.count), weights.baseAddress,
                                             nodeWeights.baseAddress, resolution, CommunityOptions.beta, Int64(options.iterations),
                                             options.seed, membership.baseAddress)
                        }
                    }
                }
            }
            try check(code, "igraph_community_leiden")
        }
        return membership.map { Int($0) }
    }

    /// The modularity, on the whole of `input`, of each of `memberships` (a community number
    /// per vertex) with the resolution γ `resolution`.
    static func modularity(_ input: Input, memberships: [[Int64]], resolution: Double) throws -> [Double] {
        try memberships.map { membership in
            var value = 0.0
            try locked {
                let code = input.endpoints.withUnsafeBufferPointer { endpoints in
                    input.weights.withUnsafeBufferPointer { weights in
                        membership.withUnsafeBufferPointer { membership in
                            gi_igraph_modularity(Int64(input.vertexCount), endpoints.baseAddress, Int64(input.weights.count), weights.baseAddress,
                                                 membership.baseAddress, resolution, &value)
                        }
                    }
                }
                try check(code, "igraph_modularity")
            }
            return value
        }
    }

    /// Kamada-Kawai positions (x, y per vertex, in igraph's units) from a circle in vertex order.
    static func layout(_ input: Input, iterations: Int) throws -> [Double] {
        var positions = [Double](repeating: 0, count: 2 * input.vertexCount)
        try locked {
            let code = input.endpoints.withUnsafeBufferPointer { endpoints in
                input.weights.withUnsafeBufferPointer { weights in
                    positions.withUnsafeMutableBufferPointer { positions in
                        gi_igraph_layout_kamada_kawai(Int64(input.vertexCount), endpoints.baseAddress, Int64(input.weights.count),
                                                      weights.baseAddress, Int64(iterations), positions.baseAddress)
                    }
                }
            }
            try check(code, "igraph_layout_kamada_kawai")
        }
        return positions
    }

    /// Runs `body` with igraph's lock held.
    private static func locked(_ body: () throws -> Void) throws {
        try lock.withLock { _ in try body() }
    }

    /// Throws igraph's own text for a failed call.
    private static func check(_ code: Int32, _ call: String) throws {
        guard code != 0 else { return }
        throw CommunityError(.igraph, message: "\(call) failed: \(String(cString: gi_igraph_error_text(code)))")
    }
}
