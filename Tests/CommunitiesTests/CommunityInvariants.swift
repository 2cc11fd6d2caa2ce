import Testing
@testable import Communities

/// Checks what every hierarchy promises: levels numbered from 0, each a full partition of the
/// keys with an edge, members sorted, ids content-derived, one parent on the level above, and
/// the modularity igraph reports equal to the one computed here.
func expectWellFormed(_ hierarchy: CommunityHierarchy, edges: [CommunityEdge], options: CommunityOptions) {
    let keys = Set(edges.flatMap { [$0.source, $0.target] })
    for (index, level) in hierarchy.levels.enumerated() {
        #expect(level.level == index)
        var covered: [String] = []
        for community in level.communities {
            #expect(community.level == index)
            #expect(community.members == community.members.sorted(by: CommunityGraph.precedes))
            #expect(community.id == Community.id(level: index, members: community.members))
            #expect(community.size == community.members.count)
            covered += community.members
        }
        #expect(covered.count == keys.count, "level \(index) covers every entity once")
        #expect(Set(covered) == keys)
        expectParents(hierarchy, level: index)
        #expect(abs(level.modularity - modularity(of: level, edges: edges, resolution: options.resolution)) < 1e-9)
    }
    #expect(hierarchy.levels.count <= options.maxLevels)
}

/// Every community below the top has one parent on the level above that holds all its members;
/// top-level communities have none.
func expectParents(_ hierarchy: CommunityHierarchy, level: Int) {
    let isTop = level == hierarchy.levels.count - 1
    let above = isTop ? [:] : Dictionary(uniqueKeysWithValues: hierarchy.levels[level + 1].communities.map { ($0.id, $0) })
    for community in hierarchy.levels[level].communities {
        if isTop {
            #expect(community.parentID == nil)
        } else {
            let parent = community.parentID.flatMap { above[$0] }
            #expect(parent != nil, "community \(community.id) has a parent on level \(level + 1)")
            #expect(Set(community.members).isSubset(of: Set(parent?.members ?? [])))
        }
    }
}

/// Weighted modularity with resolution γ: Σ_c in_c / m − γ (tot_c / 2m)².
func modularity(of level: CommunityLevel, edges: [CommunityEdge], resolution: Double) -> Double {
    var strength: [String: Double] = [:]
    var total = 0.0
    for edge in edges {
        strength[edge.source, default: 0] += Double(edge.weight)
        strength[edge.target, default: 0] += Double(edge.weight)
        total += Double(edge.weight)
    }
    return level.communities.reduce(0.0) { sum, community in
        let degree = community.members.reduce(0.0) { $0 + strength[$1]! }
        return sum + Double(community.internalWeight) / total - resolution * (degree / (2 * total)) * (degree / (2 * total))
    }
}
