/// What a community step found and wrote: the levels (finest first) and the difference it
/// wrote to the graph and the registry (`communities` in a run's `--json` summary).
public struct CommunitySummary: Sendable, Codable, Equatable {
    /// One level of the hierarchy.
    public struct Level: Sendable, Codable, Equatable {
        public var level: Int
        public var communities: Int
        /// Members of its largest community.
        public var largest: Int
        public var modularity: Double
    }

    public var levels: [Level] = []
    /// Entities in a community (those with a CO_OCCURS_WITH edge), and the edges clustered.
    public var entities = 0
    public var edges = 0
    /// Community nodes created or updated, parent links and entity links replaced, nodes deleted.
    public var nodesWritten = 0
    public var parentsWritten = 0
    public var membershipsWritten = 0
    public var nodesDeleted = 0
    /// Communities whose `weight`, `community_rank` and central passages were computed (new, or
    /// a member's chunk links or documents changed; all of them for a check, a repair, or after
    /// an interrupted write); the others kept their recorded figures.
    public var described = 0
    /// Whether an earlier write had stopped half-way, so every link was compared with the graph.
    public var repairedInterruptedWrite = false
    /// For `check`: nothing was written, and the counts above are what differs between a fresh
    /// computation and the graph; `registryDiffers` tells whether the registry's record differs too.
    public var checkOnly = false
    public var registryDiffers = false
    /// Whether a check found the graph and the registry equal to a fresh computation.
    public var isConsistent: Bool {
        !registryDiffers && nodesWritten == 0 && parentsWritten == 0 && membershipsWritten == 0 && nodesDeleted == 0
    }
    public var seconds = 0.0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case levels, entities, edges, seconds
        case nodesWritten = "nodes_written", parentsWritten = "parents_written", membershipsWritten = "memberships_written"
        case nodesDeleted = "nodes_deleted", repairedInterruptedWrite = "repaired_interrupted_write"
        case checkOnly = "check_only", registryDiffers = "registry_differs", described = "communities_described"
    }

    /// The hierarchy and the writes in a few words.
    public var text: String {
        "\(levels.last?.communities ?? 0) top-level communities on \(levels.count) levels, "
            + "\(nodesWritten + parentsWritten + membershipsWritten + nodesDeleted) community writes"
    }

    /// One line per level, for stderr and the `communities` command.
    public var lines: [String] {
        levels.reversed().map { level in
            "level \(level.level): \(level.communities) communities, largest \(level.largest), modularity \(formatted(level.modularity, digits: 3))"
        } + ["communities written: \(nodesWritten) nodes, \(parentsWritten) parent links, \(membershipsWritten) entity links, "
             + "\(nodesDeleted) deleted (\(entities) entities, \(edges) edges, \(described) communities described, "
             + "\(formatted(seconds, digits: 2)) s)"]
    }
}
