internal import CIGraph
import Synchronization

/// igraph's C API, behind one process-wide lock.
///
/// Debian's libigraph 0.10 is built with `IGRAPH_THREAD_SAFE` 0: its random number generator,
/// its error handlers and its stack of temporaries to free on error are globals. So every use of
/// igraph, from building a graph to destroying it, holds `lock`; and the RNG is seeded under the
/// same hold, right before each Leiden call, which makes every call's result depend only on its
/// input, whatever ran before or beside it. The lock also installs, once, handlers that make
/// igraph return error codes instead of aborting the process.
enum IGraph {
    /// Whether the quiet error handlers are installed; guarded by the lock it is the value of.
    private static let lock = Mutex<Bool>(false)

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
        try withGraph(input) { graph, weights in
            try withRealVector(nodeWeights) { nodeWeightVector in
                var membership = igraph_vector_int_t()
                try check(igraph_vector_int_init(&membership, Int64(input.vertexCount)), "igraph_vector_int_init")
                defer { igraph_vector_int_destroy(&membership) }
                try check(igraph_rng_seed(igraph_rng_default(), options.seed), "igraph_rng_seed")
                var clusters: Int64 = 0
                var quality = 0.0
                try check(
                    igraph_community_leiden(
                        graph, weights, nodeWeightVector, resolution, CommunityOptions.beta, false,
                        Int64(options.iterations), &membership, &clusters, &quality
                    ),
                    "igraph_community_leiden"
                )
                return ints(&membership)
            }
        }
    }

    /// The modularity, on the whole of `input`, of each of `memberships` (a community number
    /// per vertex) with the resolution γ `resolution`.
    static func modularity(_ input: Input, memberships: [[Int64]], resolution: Double) throws -> [Double] {
        try withGraph(input) { graph, weights in
            try memberships.map { membership in
                var vector = igraph_vector_int_t()
                try check(
                    membership.withUnsafeBufferPointer { igraph_vector_int_init_array(&vector, $0.baseAddress, Int64($0.count)) },
                    "igraph_vector_int_init_array"
                )
                defer { igraph_vector_int_destroy(&vector) }
                var value = 0.0
                try check(igraph_modularity(graph, &vector, weights, resolution, false, &value), "igraph_modularity")
                return value
            }
        }
    }

    /// Runs `body` with the lock held and `input` as an igraph graph and its weight vector.
    private static func withGraph<Result: Sendable>(
        _ input: Input, _ body: (UnsafePointer<igraph_t>, UnsafePointer<igraph_vector_t>) throws -> Result
    ) throws -> Result {
        try lock.withLock { installed throws -> Result in
            if !installed {
                gi_igraph_install_quiet_handlers()
                installed = true
            }
            var edges = igraph_vector_int_t()
            try check(
                input.endpoints.withUnsafeBufferPointer { igraph_vector_int_init_array(&edges, $0.baseAddress, Int64($0.count)) },
                "igraph_vector_int_init_array"
            )
            defer { igraph_vector_int_destroy(&edges) }
            var graph = igraph_t()
            try check(igraph_create(&graph, &edges, Int64(input.vertexCount), false), "igraph_create")
            defer { igraph_destroy(&graph) }
            return try withRealVector(input.weights) { weights in
                try withUnsafePointer(to: &graph) { try body($0, weights) }
            }
        }
    }

    /// Runs `body` with `values` as an igraph real vector.
    private static func withRealVector<Result>(_ values: [Double], _ body: (UnsafePointer<igraph_vector_t>) throws -> Result) throws -> Result {
        var vector = igraph_vector_t()
        try check(
            values.withUnsafeBufferPointer { igraph_vector_init_array(&vector, $0.baseAddress, Int64($0.count)) },
            "igraph_vector_init_array"
        )
        defer { igraph_vector_destroy(&vector) }
        return try withUnsafePointer(to: &vector) { try body($0) }
    }

    /// The entries of an igraph integer vector.
    private static func ints(_ vector: UnsafePointer<igraph_vector_int_t>) -> [Int] {
        let count = Int(igraph_vector_int_size(vector))
        var values = [Int64](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { igraph_vector_int_copy_to(vector, $0.baseAddress) }
        return values.map { Int($0) }
    }

    /// Throws igraph's own text for a failed call.
    private static func check(_ code: igraph_error_t, _ call: String) throws {
        guard code != IGRAPH_SUCCESS else { return }
        throw CommunityError(.igraph, message: "\(call) failed: \(String(cString: igraph_strerror(code)))")
    }
}
