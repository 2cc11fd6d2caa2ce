/// Hierarchical Leiden over a weighted, undirected entity graph, as Microsoft GraphRAG's
/// `hierarchical_leiden` (graspologic) does it, with igraph's Leiden.
///
/// The top (coarsest) level is the Leiden partition of the whole graph, each connected component
/// clustered on its own. Each community with more than `maxCommunitySize` members is clustered
/// again, with Leiden on its own induced subgraph, one level further down, until no community is
/// too large or `maxLevels` levels exist. A community Leiden gives back whole stays as it is.
///
/// The result depends only on the set of edges and the options: keys are numbered in Unicode
/// scalar order, edges sorted, and igraph's RNG seeded before every Leiden call. igraph's state
/// is process-wide, so calls into it are serialised (see `IGraph`); `detect` is safe to call
/// from any thread, but concurrent calls take turns inside igraph.
public struct CommunityDetector: Sendable {
    /// The options every `detect` uses.
    public let options: CommunityOptions

    /// A detector with `options`.
    public init(options: CommunityOptions = .standard) {
        self.options = options
    }

    /// The community hierarchy of `edges`; an empty hierarchy when there are none.
    ///
    /// - Throws: `CommunityError.Code.invalidEdge` for an edge the graph refuses (see
    ///   `CommunityEdge`), `.igraph` when igraph fails.
    public func detect(_ edges: [CommunityEdge]) throws -> CommunityHierarchy {
        let graph = try CommunityGraph(edges)
        guard !graph.keys.isEmpty else {
            return CommunityHierarchy(levels: [], optionsFingerprint: options.fingerprint)
        }
        let top = try graph.partition(vertices: Array(graph.keys.indices), edges: graph.edges, options: options)
        var depths = [top.map { PartitionNode(members: $0, parent: nil, carried: false, final: false) }]
        while depths.count < options.maxLevels, let next = try refine(depths[depths.count - 1], in: graph) {
            depths.append(next)
        }
        return try assemble(depths, graph: graph)
    }

    /// A community while the hierarchy is built, top (depth 0) down.
    struct PartitionNode {
        /// Vertex numbers, ascending.
        var members: [Int]
        /// Its index on the depth above; nil at depth 0.
        var parent: Int?
        /// Whether it is its parent, unchanged.
        var carried: Bool
        /// Whether Leiden already gave it back whole, so trying again would give the same.
        var final: Bool
    }

    /// The next depth down: each community over the maximum size clustered again, the others
    /// carried; nil when no community was split (so another level would repeat this one).
    func refine(_ depth: [PartitionNode], in graph: CommunityGraph) throws -> [PartitionNode]? {
        let isOversized = { (node: PartitionNode) in node.members.count > options.maxCommunitySize && !node.final }
        guard depth.contains(where: isOversized) else { return nil }
        let internalEdges = graph.internalEdges(of: depth.map(\.members))
        var next: [PartitionNode] = []
        var split = false
        for (index, node) in depth.enumerated() {
            if isOversized(node) {
                let parts = try graph.partition(vertices: node.members, edges: internalEdges[index], options: options)
                if parts.count > 1 {
                    split = true
                    next += parts.map { PartitionNode(members: $0, parent: index, carried: false, final: false) }
                    continue
                }
            }
            let final = node.final || isOversized(node)
            next.append(PartitionNode(members: node.members, parent: index, carried: true, final: final))
        }
        return split ? next : nil
    }
}
