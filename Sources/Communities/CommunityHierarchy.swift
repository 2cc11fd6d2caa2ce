internal import Extraction

/// Communities of entities, level by level, from hierarchical Leiden (`CommunityDetector`).
///
/// Level 0 is the finest and the last level the coarsest (LLM Graph Builder's convention).
/// Every level is a full partition of the entities that have an edge; a community that is not
/// split further appears again, with the same members, on every finer level (as Neo4j GDS's
/// intermediate communities do). So every entity has exactly one community per level, and every
/// community below the top has exactly one parent on the level above. Entities without an edge
/// are in no community.
public struct CommunityHierarchy: Hashable, Sendable {
    /// The levels, finest first: `levels[i].level == i`. Empty when there were no edges.
    public let levels: [CommunityLevel]
    /// The fingerprint of the options the hierarchy was computed with.
    public let optionsFingerprint: String

    /// Makes a hierarchy from its levels, finest first.
    public init(levels: [CommunityLevel], optionsFingerprint: String) {
        self.levels = levels
        self.optionsFingerprint = optionsFingerprint
    }

    /// Whether there are no communities at all (there were no edges).
    public var isEmpty: Bool { levels.isEmpty }

    /// Every community, level by level, finest first.
    public var communities: [Community] { levels.flatMap(\.communities) }

    /// For each entity key, the id of its community at `level` (empty for a level not held).
    public func membership(atLevel level: Int) -> [String: String] {
        guard levels.indices.contains(level) else { return [:] }
        var membership: [String: String] = [:]
        for community in levels[level].communities {
            for key in community.members { membership[key] = community.id }
        }
        return membership
    }
}

/// One level of a `CommunityHierarchy`: a partition of every entity that has an edge.
public struct CommunityLevel: Hashable, Sendable {
    /// 0 for the finest level.
    public let level: Int
    /// The level's communities, ordered by their first member.
    public let communities: [Community]
    /// The modularity of this partition on the whole graph (weighted, with the options'
    /// resolution), as `igraph_modularity` computes it.
    public let modularity: Double

    /// Makes a level.
    public init(level: Int, communities: [Community], modularity: Double) {
        self.level = level
        self.communities = communities
        self.modularity = modularity
    }

    /// How many communities the level has.
    public var communityCount: Int { communities.count }
}

/// A set of entities that belong together on one level of a `CommunityHierarchy`.
public struct Community: Hashable, Sendable, Identifiable {
    /// `"<level>-"` and the first 16 hex digits of the SHA-256 of the sorted member keys joined
    /// by line feeds: derived from the content alone, so a community whose members did not
    /// change keeps its id when other parts of the graph change. The same members on two levels
    /// share the hex digits and differ in the level.
    public let id: String
    /// The level the community is on; 0 is the finest.
    public let level: Int
    /// The members' entity keys in Unicode scalar (UTF-8 byte) order.
    public let members: [String]
    /// The id of the community on the level above that holds this one; nil on the top level.
    public let parentID: String?
    /// The sum of the weights of the edges with both ends in the community.
    public let internalWeight: Int

    /// Makes a community.
    public init(id: String, level: Int, members: [String], parentID: String?, internalWeight: Int) {
        self.id = id
        self.level = level
        self.members = members
        self.parentID = parentID
        self.internalWeight = internalWeight
    }

    /// How many members the community has.
    public var size: Int { members.count }

    /// The id a community of `members` (sorted by Unicode scalars) has on `level`.
    public static func id(level: Int, members: [String]) -> String {
        "\(level)-\(contentHash(members))"
    }

    /// The first 16 hex digits of the SHA-256 of `members` joined by line feeds.
    static func contentHash(_ members: [String]) -> String {
        var hash = SHA256()
        for (index, key) in members.enumerated() {
            if index > 0 { hash.update([10]) }
            hash.update(key)
        }
        return String(hash.hexDigest().prefix(16))
    }
}
