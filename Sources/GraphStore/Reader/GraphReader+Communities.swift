internal import Bolt
import PackStream

extension GraphReader {
    /// Every `__Community__` node with its parent (a node with two parents appears twice).
    public func communities() async throws -> [GraphCommunityLink] {
        try await collect(GraphCypher.readCommunities) { record in
            guard let id = record["id"]?.stringValue else { return nil }
            let node = GraphCommunityRow(
                id: id, level: Int(record["level"]?.intValue ?? -1), size: Int(record["size"]?.intValue ?? -1),
                weight: record["weight"]?.intValue ?? -1, rank: record["rank"]?.intValue ?? -1, title: record["title"]?.stringValue ?? "",
                summary: record["summary"]?.stringValue ?? "", membersSHA256: record["sha"]?.stringValue ?? "")
            return GraphCommunityLink(node: node, parent: record["parent"]?.stringValue)
        }
    }

    /// Every entity's community links: entity id and community id.
    public func entityMemberships() async throws -> [(entity: Int64, community: String)] {
        try await collect(GraphCypher.readEntityMemberships) { record in
            guard let entity = record["e"]?.intValue, let community = record["c"]?.stringValue else { return nil }
            return (entity, community)
        }
    }

    /// The chunks each of the entities has FROM_CHUNK to (entities without any are left out).
    public func chunks(ofEntities ids: [Int64]) async throws -> [Int64: [GraphEntityChunk]] {
        var chunks: [Int64: [GraphEntityChunk]] = [:]
        for start in stride(from: 0, to: ids.count, by: 2_000) {
            let batch = ids[start..<min(start + 2_000, ids.count)]
            let rows = try await collect(GraphCypher.entityChunks, parameters: ["ids": .value(.list(batch.map { .integer($0) }))]) { record in
                record["id"]?.intValue.map { id in
                    let ids = (record["chunks"]?.listValue ?? []).map { $0.stringValue ?? "" }
                    let shas = (record["shas"]?.listValue ?? []).map { $0.stringValue ?? "" }
                    let counts = (record["counts"]?.listValue ?? []).map { $0.intValue ?? 0 }
                    return (id, ids.indices.map { index in
                        GraphEntityChunk(id: ids[index], sha256: index < shas.count ? shas[index] : "",
                                         count: index < counts.count ? counts[index] : 0)
                    })
                }
            }
            for (id, list) in rows { chunks[id, default: []] += list }
        }
        return chunks
    }

    /// The text of the chunks with `ids` (ids the graph does not have are left out).
    public func chunkTexts(ids: [String]) async throws -> [String: String] {
        var texts: [String: String] = [:]
        for start in stride(from: 0, to: ids.count, by: 2_000) {
            let batch = ids[start..<min(start + 2_000, ids.count)]
            let rows = try await collect(GraphCypher.chunkTexts, parameters: ["ids": .value(.list(batch.map { .string($0) }))]) { record in
                record["id"]?.stringValue.map { ($0, record["text"]?.stringValue ?? "") }
            }
            for (id, text) in rows { texts[id] = text }
        }
        return texts
    }
}

/// A FROM_CHUNK link of an entity: the chunk's id, its text's SHA-256 and the entity's mentions
/// in it.
public struct GraphEntityChunk: Sendable, Hashable {
    public var id: String
    public var sha256: String
    public var count: Int64

    package init(id: String, sha256: String, count: Int64) {
        self.id = id
        self.sha256 = sha256
        self.count = count
    }
}

/// A community a question's entities belong to, with the question's entities in it.
public struct GraphContextCommunity: Sendable, Hashable {
    public var id: String
    public var level: Int
    public var size: Int
    public var rank: Int64
    public var title: String
    public var summary: String
    /// The question's entity keys among its members.
    public var keys: Set<String>

    package init(id: String, level: Int, size: Int, rank: Int64, title: String, summary: String, keys: Set<String>) {
        self.id = id
        self.level = level
        self.size = size
        self.rank = rank
        self.title = title
        self.summary = summary
        self.keys = keys
    }
}

extension GraphReader {
    /// The communities of the entities with `keys`, on every level: the finest first, then their
    /// parents, one read per level.
    public func contextCommunities(keys: [String]) async throws -> [GraphContextCommunity] {
        guard !keys.isEmpty else { return [] }
        var found: [String: GraphContextCommunity] = [:]
        var frontier = try await communityRows(GraphCypher.entityCommunities, ["keys": .value(.list(keys.map(PackStreamValue.string)))])
        var memberKeys: [String: Set<String>] = [:]
        for (member, community) in frontier { memberKeys[community.id, default: []].insert(member) }
        var level = 0
        while !frontier.isEmpty && level < 16 {
            for (_, community) in frontier {
                var community = community
                community.keys = memberKeys[community.id] ?? []
                found[community.id] = community
            }
            let ids = Array(Set(frontier.map(\.1.id))).sorted()
            let parents = try await communityRows(GraphCypher.parentCommunities, ["ids": .value(.list(ids.map(PackStreamValue.string)))])
            for (child, parent) in parents { memberKeys[parent.id, default: []].formUnion(memberKeys[child] ?? []) }
            frontier = parents
            level += 1
        }
        return Array(found.values)
    }

    /// Every community on `level`, with no question keys: what a global retriever ranks.
    public func communities(atLevel level: Int) async throws -> [GraphContextCommunity] {
        try await communityRows(GraphCypher.levelCommunities, ["level": .value(.integer(Int64(level)))]).map(\.1)
    }

    /// The coarsest community level, or nil when the graph has no communities.
    public func topCommunityLevel() async throws -> Int? {
        try await collect(GraphCypher.topCommunityLevel) { record in record["level"]?.intValue.map(Int.init) }.first
    }

    private func communityRows(_ query: String, _ parameters: [String: PackStreamParameter]) async throws
        -> [(String, GraphContextCommunity)] {
        try await collect(query, parameters: parameters) { record in
            guard let member = record["member"]?.stringValue, let id = record["id"]?.stringValue else { return nil }
            return (member, GraphContextCommunity(
                id: id, level: Int(record["level"]?.intValue ?? -1), size: Int(record["size"]?.intValue ?? 0), rank: record["rank"]?.intValue ?? 0,
                title: record["title"]?.stringValue ?? "", summary: record["summary"]?.stringValue ?? "", keys: []))
        }
    }
}

/// A passage a community's entities lead to, for a report's context.
public struct GraphCommunityPassage: Sendable, Hashable {
    public var chunkID: String
    public var source: String
    public var text: String
    /// How many of the community's entities it mentions.
    public var entities: Int
}

extension GraphReader {
    /// The passages that mention most of the entities, then most often: at most `limit`.
    public func communityPassages(entityIDs: [Int64], limit: Int) async throws -> [GraphCommunityPassage] {
        guard !entityIDs.isEmpty, limit > 0 else { return [] }
        return try await collect(GraphCypher.communityPassages, parameters: [
            "ids": .value(.list(entityIDs.map { .integer($0) })), "limit": .value(.integer(Int64(limit))),
        ]) { record in
            guard let id = record["id"]?.stringValue else { return nil }
            return GraphCommunityPassage(chunkID: id, source: record["source"]?.stringValue ?? "", text: record["text"]?.stringValue ?? "",
                                         entities: Int(record["entities"]?.intValue ?? 0))
        }
    }
}
