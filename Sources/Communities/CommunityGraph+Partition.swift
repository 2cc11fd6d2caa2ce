extension CommunityGraph {
    /// Splits a set of vertices into communities: each connected component of the subgraph on
    /// its own, with Leiden (modularity) on each component that has an edge.
    ///
    /// A component's result depends only on the component (its keys and edges), never on the
    /// rest of the graph, so a change elsewhere cannot move its communities. The modularity of a
    /// component is normalised by the component's own total weight, as graspologic's
    /// hierarchical Leiden normalises a community it splits again by its own subgraph's.
    ///
    /// - Parameters:
    ///   - vertices: vertex numbers, ascending.
    ///   - edges: the edges with both ends in `vertices`, in the graph's edge order.
    /// - Returns: communities, each ascending, ordered by their first vertex.
    func partition(vertices: [Int], edges: [IndexedEdge], options: CommunityOptions) throws -> [[Int]] {
        var communities: [[Int]] = []
        for component in Self.components(vertices: vertices, edges: edges) {
            if component.edges.isEmpty {
                communities.append(component.vertices)
            } else {
                communities += try Self.leiden(component, options: options)
            }
        }
        return communities.sorted { $0[0] < $1[0] }
    }

    /// A connected subgraph: its vertices ascending, its edges in the graph's order.
    struct Component {
        var vertices: [Int]
        var edges: [IndexedEdge]
    }

    /// The connected components of `vertices` and `edges` (union-find), ordered by first vertex.
    static func components(vertices: [Int], edges: [IndexedEdge]) -> [Component] {
        var local: [Int: Int] = [:]
        local.reserveCapacity(vertices.count)
        for (index, vertex) in vertices.enumerated() { local[vertex] = index }
        var parent = Array(vertices.indices)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for edge in edges {
            let (x, y) = (root(local[edge.a]!), root(local[edge.b]!))
            if x != y { parent[max(x, y)] = min(x, y) }
        }
        var slot: [Int: Int] = [:]
        var components: [Component] = []
        for (index, vertex) in vertices.enumerated() {
            let top = root(index)
            if let existing = slot[top] {
                components[existing].vertices.append(vertex)
            } else {
                slot[top] = components.count
                components.append(Component(vertices: [vertex], edges: []))
            }
        }
        for edge in edges { components[slot[root(local[edge.a]!)]!].edges.append(edge) }
        return components
    }

    /// Leiden with the modularity objective on one connected component: vertices renumbered
    /// 0..<n in ascending order, node weights the vertex strengths, resolution γ / (2m).
    static func leiden(_ component: Component, options: CommunityOptions) throws -> [[Int]] {
        var local: [Int: Int] = [:]
        local.reserveCapacity(component.vertices.count)
        for (index, vertex) in component.vertices.enumerated() { local[vertex] = index }
        var endpoints: [Int64] = []
        endpoints.reserveCapacity(component.edges.count * 2)
        var weights: [Double] = []
        weights.reserveCapacity(component.edges.count)
        var strengths = [Double](repeating: 0, count: component.vertices.count)
        var total = 0.0
        for edge in component.edges {
            let (x, y) = (local[edge.a]!, local[edge.b]!)
            endpoints += [Int64(x), Int64(y)]
            weights.append(Double(edge.weight))
            strengths[x] += Double(edge.weight)
            strengths[y] += Double(edge.weight)
            total += Double(edge.weight)
        }
        let membership = try IGraph.leiden(
            IGraph.Input(vertexCount: component.vertices.count, endpoints: endpoints, weights: weights),
            nodeWeights: strengths, resolution: options.resolution / (2 * total), options: options
        )
        var groups: [Int: Int] = [:]
        var communities: [[Int]] = []
        for (index, community) in membership.enumerated() {
            if let existing = groups[community] {
                communities[existing].append(component.vertices[index])
            } else {
                groups[community] = communities.count
                communities.append([component.vertices[index]])
            }
        }
        return communities
    }
}
