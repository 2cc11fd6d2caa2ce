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

    /// The chunk ids each of the entities has FROM_CHUNK to (entities without any are left out).
    public func chunkIDs(ofEntities ids: [Int64]) async throws -> [Int64: [String]] {
        var chunks: [Int64: [String]] = [:]
        for start in stride(from: 0, to: ids.count, by: 2_000) {
            let batch = ids[start..<min(start + 2_000, ids.count)]
            let rows = try await collect(GraphCypher.entityChunks, parameters: ["ids": .value(.list(batch.map { .integer($0) }))]) { record in
                record["id"]?.intValue.map { ($0, (record["chunks"]?.listValue ?? []).compactMap(\.stringValue)) }
            }
            for (id, list) in rows { chunks[id, default: []] += list }
        }
        return chunks
    }
}
