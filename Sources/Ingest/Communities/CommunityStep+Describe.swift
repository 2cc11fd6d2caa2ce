import Communities
import GraphStore
import Registry

/// What a community's figures and passages are, apart from its members and edges: what the
/// chunk links and the mention snapshots of its members give it.
struct CommunityFigures: Sendable, Hashable {
    /// Distinct chunks and distinct documents that mention a member.
    var weight: Int64
    var rank: Int64
    /// Excerpts of its central passages, the most central first.
    var passages: [String]
    /// Whether every central passage's text was found: when the graph lacks one (a chunk
    /// deleted by hand, its document awaiting re-extraction), the excerpts are not recorded, so
    /// the next step computes them again.
    var complete = true

    static let none = CommunityFigures(weight: 0, rank: 0, passages: [])
}

extension CommunityStep {
    /// The records and level-0 memberships of a hierarchy: titles and summaries from the
    /// registry's names, the edges inside each community and its central passages;
    /// `community_rank` (distinct documents) from the registry's mention snapshots, `weight`
    /// (distinct chunks) and the central passages from its chunk mention snapshots, the passages'
    /// text from the graph.
    ///
    /// With `previous` (the registry's record), a community it records with passages, none of
    /// whose members is `marked`, keeps its figures and passages: only the others are computed
    /// (their members' chunk links read). Titles and summaries are written again for all, as
    /// they depend on edges and names too.
    /// - Returns: the snapshot, and how many communities had their figures computed.
    func describe(_ hierarchy: CommunityHierarchy, edges: [CommunityEdgeRecord], reusing previous: CommunitySnapshot?,
                  marked: Set<Int64>) async throws -> (snapshot: CommunitySnapshot, described: Int) {
        var idOfKey: [String: Int64] = [:]
        for edge in edges {
            idOfKey[edge.keyA] = edge.a
            idOfKey[edge.keyB] = edge.b
        }
        let entityIDs = idOfKey.values.sorted()
        let names = try await registry.entityNames(ids: entityIDs)
        let nameOfKey = idOfKey.compactMapValues { names[$0] }
        let communities = hierarchy.communities
        let membersByID = Dictionary(uniqueKeysWithValues: communities.map { community in
            (community.id, community.members.compactMap { idOfKey[$0] })
        })
        let kept = Dictionary((previous?.communities ?? []).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let stale = membersByID.filter { id, members in
            guard let old = kept[id], old.passages != nil else { return true }
            return members.contains(where: marked.contains)
        }
        let computed = try await figures(of: stale, entityCount: entityIDs.count)
        let internalEdges = Self.internalEdges(of: hierarchy, edges: edges)
        let reports = try await registry.currentCommunityReports()
        var snapshot = CommunitySnapshot()
        for community in communities {
            let figures = computed[community.id]
                ?? kept[community.id].map { CommunityFigures(weight: $0.weight, rank: $0.rank, passages: $0.passages ?? []) } ?? .none
            var description = CommunityDescription(community, internalEdges: internalEdges[community.id] ?? [], names: nameOfKey,
                                                   excerpts: figures.passages)
            let hash = Self.membersHash(community.members)
            // A report written for these very members replaces the extractive text.
            if let report = reports[community.id], report.membersSHA256 == hash {
                description.title = report.title
                description.summary = report.summary
            }
            snapshot.communities.append(CommunityRecord(
                id: community.id, level: community.level, parentID: community.parentID, size: community.size,
                membersSHA256: hash, weight: figures.weight, rank: figures.rank, title: description.title,
                summary: description.summary, passages: figures.complete ? figures.passages : nil))
        }
        for (key, id) in hierarchy.membership(atLevel: 0) {
            if let entity = idOfKey[key] { snapshot.memberships[entity] = id }
        }
        return (snapshot, stale.count)
    }

    /// The figures of the given communities (id → member entity ids): their members' chunk links
    /// (``ChunkCoverage``), their documents, and the text of their central passages.
    func figures(of groups: [String: [Int64]], entityCount: Int) async throws -> [String: CommunityFigures] {
        guard !groups.isEmpty else { return [:] }
        let needed = Set(groups.values.joined()).sorted()
        // The registry's counts and the chunk links go on at once.
        async let documentCounts = registry.documentCounts(of: groups)
        // Most of the entities: one read of every link is cheaper than a look-up per entity.
        let links = try await chunkLinks(ofEntities: needed, all: needed.count * 2 >= entityCount)
        let coverage = ChunkCoverage.coverage(of: groups, links: links)
        let documents = try await documentCounts
        let texts = try await database.reader.chunkTexts(ids: Set(coverage.values.flatMap(\.central)).sorted())
        return Dictionary(uniqueKeysWithValues: coverage.map { id, covered in
            let found = covered.central.compactMap { texts[$0] }
            return (id, CommunityFigures(weight: Int64(covered.weight), rank: documents[id] ?? 0,
                                         passages: found.map(CommunityDescription.excerpt).filter { !$0.isEmpty },
                                         complete: found.count == covered.central.count))
        })
    }

    /// Each entity's chunk links (chunk, text hash, mentions): from the registry's chunk
    /// mention snapshots, or, while a document loaded before the registry kept them awaits its
    /// next load, from the graph's FROM_CHUNK.
    func chunkLinks(ofEntities ids: [Int64], all: Bool) async throws -> ChunkCoverage.Links {
        if try await registry.chunkMentionsMissing() { return ChunkCoverage.Links(try await database.reader.chunks(ofEntities: ids)) }
        let rows = try await registry.chunkLinks(ofEntities: all ? nil : ids)
        return ChunkCoverage.Links(rows.map { (entity: $0.entityID, key: ChunkKey(documentID: $0.documentID, index: Int64($0.chunkIndex)),
                                               sha256: $0.sha256, count: $0.count) },
                                   id: \.description)
    }
}

extension CommunitySnapshot {
    /// The snapshot with the passages of `computed`: what a check compares, as the recorded
    /// excerpts only spare a step the graph's read (the summaries quoting them are compared).
    func knowingPassages(of computed: CommunitySnapshot) -> CommunitySnapshot {
        let passages = Dictionary(computed.communities.map { ($0.id, $0.passages) }, uniquingKeysWith: { first, _ in first })
        var snapshot = self
        for index in snapshot.communities.indices {
            snapshot.communities[index].passages = passages[snapshot.communities[index].id] ?? nil
        }
        return snapshot
    }
}
