extension CommunityDetector {
    /// Turns the depths (top first) into levels (finest first) with ids, parents, internal
    /// weights and each level's modularity.
    func assemble(_ depths: [[PartitionNode]], graph: CommunityGraph) throws -> CommunityHierarchy {
        let modularities = try modularity(of: depths, graph: graph)
        let top = depths.count - 1
        var hashes: [[String]] = []
        var levels: [CommunityLevel] = []
        for (depth, nodes) in depths.enumerated() {
            let level = top - depth
            let internalWeights = graph.internalEdges(of: nodes.map(\.members)).map { $0.reduce(0) { $0 + $1.weight } }
            var depthHashes: [String] = []
            var communities: [Community] = []
            for (index, node) in nodes.enumerated() {
                let members = node.members.map { graph.keys[$0] }
                // A carried community has its parent's members, so its parent's hash.
                let hash = node.carried ? hashes[depth - 1][node.parent!] : Community.contentHash(members)
                depthHashes.append(hash)
                communities.append(Community(
                    id: "\(level)-\(hash)", level: level, members: members,
                    parentID: node.parent.map { "\(level + 1)-\(hashes[depth - 1][$0])" },
                    internalWeight: internalWeights[index]
                ))
            }
            hashes.append(depthHashes)
            // Members are in key order, so ordering by the first member orders by key.
            let ordered = zip(nodes, communities).sorted { $0.0.members[0] < $1.0.members[0] }.map(\.1)
            levels.append(CommunityLevel(level: level, communities: ordered, modularity: modularities[depth]))
        }
        return CommunityHierarchy(levels: levels.reversed(), optionsFingerprint: options.fingerprint)
    }

    /// The modularity of each depth's partition on the whole graph, with the options' resolution.
    func modularity(of depths: [[PartitionNode]], graph: CommunityGraph) throws -> [Double] {
        let memberships = depths.map { nodes in
            var membership = [Int64](repeating: 0, count: graph.keys.count)
            for (index, node) in nodes.enumerated() {
                for vertex in node.members { membership[vertex] = Int64(index) }
            }
            return membership
        }
        var endpoints: [Int64] = []
        endpoints.reserveCapacity(graph.edges.count * 2)
        for edge in graph.edges { endpoints += [Int64(edge.a), Int64(edge.b)] }
        let input = IGraph.Input(vertexCount: graph.keys.count, endpoints: endpoints, weights: graph.edges.map { Double($0.weight) })
        return try IGraph.modularity(input, memberships: memberships, resolution: options.resolution)
    }
}
