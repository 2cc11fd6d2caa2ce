public import Communities
import Extraction
import Foundation
public import GraphStore
public import Registry

/// Computes the communities of the co-occurrence graph and writes what changed.
///
/// The input is the registry's pair totals at the edge threshold (what CO_OCCURS_WITH holds;
/// PostgreSQL is the source of truth), clustered by hierarchical Leiden (``CommunityDetector``,
/// deterministic). The whole hierarchy is computed again every time (memory and CPU, no
/// round trips); a community's `weight`, `community_rank` and central passages are computed
/// again only when it is new or a member is marked (its chunk links or documents changed since
/// the last step: `community_marks`, consumed with the record), from the registry's chunk
/// mention snapshots. The result is compared with what the registry records, and only the
/// difference is written: the graph first, then the registry in one transaction. A mark in the registry, set before the
/// graph write and cleared with the record, tells a later run that a write stopped half-way;
/// that run compares with the graph itself and rewrites what differs. One process at a time
/// (an advisory lock), so several processes end with what one computes.
public struct CommunityStep: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase
    public let options: CommunityOptions
    /// The CO_OCCURS_WITH threshold in force: the edges clustered.
    public let minimumCount: Int
    /// Faults a test injects (none by default).
    public let faults: TestFaults

    public init(registry: RegistryStore, database: GraphDatabase, options: CommunityOptions, minimumCount: Int,
                faults: TestFaults = TestFaults()) {
        self.registry = registry
        self.database = database
        self.options = options
        self.minimumCount = minimumCount
        self.faults = faults
    }

    /// The step at a run's end, as `configuration` asks (nil with `--no-communities`).
    public static func atEndOfRun(registry: RegistryStore, database: GraphDatabase, configuration: PipelineConfiguration,
                                  minimumCount: Int) async throws -> CommunitySummary? {
        guard let options = configuration.communities else { return nil }
        return try await CommunityStep(registry: registry, database: database, options: options, minimumCount: minimumCount,
                                       faults: configuration.faults).run()
    }

    /// What a run does with the difference.
    public enum Mode: Sendable {
        /// Compare with the registry's record and write the difference (the end of a run, the
        /// `communities` command).
        case write
        /// Compare with the graph itself and write the difference (`check --repair`: a graph
        /// changed by hand is repaired too).
        case repair
        /// Compare with the graph and write nothing (`check`): the summary counts what differs.
        case check
    }

    /// Computes, compares and writes the difference (or, to check, only counts it).
    public func run(_ mode: Mode = .write) async throws -> CommunitySummary {
        try await registry.withCommunityLock {
            let started = ContinuousClock.now
            let edges = try await registry.allCommunityEdges(atLeast: minimumCount)
            let hierarchy = try CommunityDetector(options: options).detect(
                edges.map { CommunityEdge(source: $0.keyA, target: $0.keyB, weight: Int($0.count)) })
            let stored = try await registry.communitySnapshot()
            // Read before the chunk links: a change recorded after this read keeps its mark for
            // the next step. Check and repair describe every community afresh, as does a run
            // after an interrupted write.
            let marks = mode == .check ? CommunityMarks() : try await registry.communityMarks()
            let incremental = mode == .write && !stored.writeInterrupted
            let (computed, described) = try await describe(hierarchy, edges: edges, reusing: incremental ? stored : nil,
                                                           marked: marks.entities)
            let againstGraph = stored.writeInterrupted || mode != .write
            let base = againstGraph ? try await graphView(stored) : stored
            let difference = CommunityDifference(computed: computed, stored: base, rewriteAll: stored.writeInterrupted || mode == .repair)
            let registryDiffers = mode != .write
                && !CommunityDifference(computed: computed, stored: stored.knowingPassages(of: computed), rewriteAll: false).isEmpty
            var summary = CommunitySummary(hierarchy, edges: edges.count, difference: difference)
            summary.described = described
            if mode == .check {
                summary.checkOnly = true
                summary.registryDiffers = registryDiffers
                summary.seconds = (ContinuousClock.now - started).seconds
                return summary
            }
            if !difference.isEmpty || stored.writeInterrupted || registryDiffers {
                try await registry.beginCommunityWrite()
                try await database.writer.writeCommunities(difference.graph)
                if faults.killAfterCommunityGraphWrite { kill(getpid(), SIGKILL) }
                let computedIDs = Set(computed.communities.map(\.id))
                let recordsRemoved = Set(stored.communities.map(\.id).filter { !computedIDs.contains($0) }).union(difference.graph.removed)
                try await registry.recordCommunities(upserting: difference.records, removing: recordsRemoved.sorted(),
                                                     memberships: difference.memberships, removingMembersOf: difference.membersRemoved,
                                                     consumingMarks: marks.ids)
            } else {
                try await registry.consumeCommunityMarks(marks.ids)
            }
            summary.repairedInterruptedWrite = stored.writeInterrupted
            summary.seconds = (ContinuousClock.now - started).seconds
            return summary
        }
    }

    /// For each community, the edges with both ends among its members.
    static func internalEdges(of hierarchy: CommunityHierarchy, edges: [CommunityEdgeRecord]) -> [String: [CommunityEdge]] {
        var result: [String: [CommunityEdge]] = [:]
        for level in hierarchy.levels.indices {
            let membership = hierarchy.membership(atLevel: level)
            for edge in edges {
                guard let community = membership[edge.keyA], membership[edge.keyB] == community else { continue }
                result[community, default: []].append(CommunityEdge(source: edge.keyA, target: edge.keyB, weight: Int(edge.count)))
            }
        }
        return result
    }

    /// SHA-256 (hex) of the sorted member keys, one per line.
    static func membersHash(_ members: [String]) -> String {
        var digest = SHA256()
        digest.update(members.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.joined(separator: "\n"))
        return digest.hexDigest()
    }

    /// What the graph holds, as a snapshot: its communities (a node with two parent links is
    /// recorded with none, so that its links are written again) and its entity links.
    func graphView(_ stored: CommunitySnapshot) async throws -> CommunitySnapshot {
        let reader = database.reader
        var view = CommunitySnapshot()
        var byID: [String: CommunityRecord] = [:]
        for link in try await reader.communities() {
            let node = link.node
            let record = CommunityRecord(id: node.id, level: node.level, parentID: link.parent, size: node.size,
                                         membersSHA256: node.membersSHA256, weight: node.weight, rank: node.rank,
                                         title: node.title, summary: node.summary)
            if var seen = byID[node.id] {
                seen.parentID = "(several)"
                byID[node.id] = seen
            } else {
                byID[node.id] = record
            }
        }
        view.communities = byID.values.sorted { $0.id < $1.id }
        for (entity, community) in try await reader.entityMemberships() {
            // An entity with two links is rewritten: no single community is recorded for it.
            view.memberships[entity] = view.memberships[entity] == nil ? community : ""
        }
        // Memberships only the registry records are removed too.
        for entity in stored.memberships.keys where view.memberships[entity] == nil { view.memberships[entity] = "" }
        return view
    }
}
