import PackStream

/// A `__Community__` node as the graph holds it.
public struct GraphCommunityRow: Sendable, Hashable {
    public var id: String
    public var level: Int
    public var size: Int
    /// Distinct chunks of its entities.
    public var weight: Int64
    /// Distinct documents of its entities.
    public var rank: Int64
    public var title: String
    public var summary: String
    /// SHA-256 of its sorted member keys.
    public var membersSHA256: String

    public init(id: String, level: Int, size: Int, weight: Int64, rank: Int64, title: String, summary: String, membersSHA256: String) {
        self.id = id
        self.level = level
        self.size = size
        self.weight = weight
        self.rank = rank
        self.title = title
        self.summary = summary
        self.membersSHA256 = membersSHA256
    }

    var value: PackStreamValue {
        .map(["id": .string(id), "level": .integer(Int64(level)), "size": .integer(Int64(size)), "weight": .integer(weight),
              "rank": .integer(rank), "title": .string(title), "summary": .string(summary), "sha": .string(membersSHA256)])
    }
}

/// What a run changes of the communities in the graph: nodes to write and delete, parent links
/// and entity memberships to replace. Applied in that order, each part idempotent.
public struct GraphCommunityChange: Sendable {
    /// Nodes to create or update.
    public var communities: [GraphCommunityRow] = []
    /// Communities whose parent link is replaced: child id and parent id (nil: none, on the top
    /// level).
    public var parents: [(child: String, parent: String?)] = []
    /// Entities whose community link is replaced: entity id and its finest community (nil: none).
    public var memberships: [(entity: Int64, community: String?)] = []
    /// Nodes to delete, with their links.
    public var removed: [String] = []

    public init() {}

    /// Whether it changes nothing.
    public var isEmpty: Bool { communities.isEmpty && parents.isEmpty && memberships.isEmpty && removed.isEmpty }
}

/// A community as the graph holds it, for comparisons: its node and its parent link.
public struct GraphCommunityLink: Sendable, Hashable {
    public var node: GraphCommunityRow
    public var parent: String?

    public init(node: GraphCommunityRow, parent: String?) {
        self.node = node
        self.parent = parent
    }
}
