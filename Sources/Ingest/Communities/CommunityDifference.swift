import Communities
import GraphStore
import Registry

/// What must change so that the graph and the registry hold `computed`, given what they hold
/// now (`stored`): nodes whose properties differ, parent links and entity links that differ,
/// and what is gone. With `rewriteAll` (after an interrupted write) every node, parent link and
/// entity link of `computed` is written again.
struct CommunityDifference: Sendable {
    var graph = GraphCommunityChange()
    /// Registry rows to write (new or changed).
    var records: [CommunityRecord] = []
    /// Level-0 memberships to write, and the entities no longer in any community.
    var memberships: [(entityID: Int64, communityID: String)] = []
    var membersRemoved: [Int64] = []

    init(computed: CommunitySnapshot, stored: CommunitySnapshot, rewriteAll: Bool) {
        let before = Dictionary(stored.communities.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Set(computed.communities.map(\.id))
        for record in computed.communities {
            let old = before[record.id]
            if rewriteAll || old != record { records.append(record) }
            if rewriteAll || old.map({ !Self.sameNode($0, record) }) ?? true { graph.communities.append(Self.node(record)) }
            // A new community on the top level has no link to replace.
            let linkDiffers = old.map { $0.parentID != record.parentID } ?? (record.parentID != nil)
            if rewriteAll || linkDiffers { graph.parents.append((record.id, record.parentID)) }
        }
        graph.removed = stored.communities.map(\.id).filter { !after.contains($0) }.sorted()
        for (entity, community) in computed.memberships.sorted(by: { $0.key < $1.key })
        where rewriteAll || stored.memberships[entity] != community {
            memberships.append((entity, community))
            graph.memberships.append((entity, community))
        }
        membersRemoved = stored.memberships.keys.filter { computed.memberships[$0] == nil }.sorted()
        graph.memberships += membersRemoved.map { ($0, nil) }
    }

    /// Whether nothing is to be written.
    var isEmpty: Bool { graph.isEmpty && records.isEmpty && memberships.isEmpty && membersRemoved.isEmpty }

    /// Whether two records give the same node (the parent is a link, not a property; the
    /// passages are in the summary, the registry alone keeps them apart).
    static func sameNode(_ a: CommunityRecord, _ b: CommunityRecord) -> Bool {
        var a = a
        a.parentID = b.parentID
        a.passages = b.passages
        return a == b
    }

    static func node(_ record: CommunityRecord) -> GraphCommunityRow {
        GraphCommunityRow(id: record.id, level: record.level, size: record.size, weight: record.weight, rank: record.rank,
                          title: record.title, summary: record.summary, membersSHA256: record.membersSHA256)
    }
}

extension CommunitySummary {
    /// The summary of a computed hierarchy and the difference written.
    init(_ hierarchy: CommunityHierarchy, edges: Int, difference: CommunityDifference) {
        self.init()
        levels = hierarchy.levels.map { level in
            Level(level: level.level, communities: level.communityCount, largest: level.communities.map(\.size).max() ?? 0,
                  modularity: level.modularity)
        }
        entities = hierarchy.levels.first.map { $0.communities.reduce(0) { $0 + $1.size } } ?? 0
        self.edges = edges
        nodesWritten = difference.graph.communities.count
        parentsWritten = difference.graph.parents.count
        membershipsWritten = difference.graph.memberships.count
        nodesDeleted = difference.graph.removed.count
    }
}
