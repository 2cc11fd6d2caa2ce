internal import Bolt
import PackStream

extension GraphReader {
    /// The graph's side of one range of document ids `[from, below)`: its Document nodes, their
    /// MENTIONS, the chunks hanging from them with the NEXT_CHUNK and FROM_CHUNK those chunks
    /// have, read concurrently. Memory follows the range, not the graph.
    public func documentRange(from: Int64, below: Int64) async throws -> GraphDocumentRange {
        let bounds = Self.bounds(from, below)
        async let documents = collect(GraphCypher.readDocumentsInRange, parameters: bounds) { record in
            GraphDocumentNode(id: record[0].intValue, source: record[1].stringValue, sha256: record[2].stringValue)
        }
        async let mentions = collect(GraphCypher.readMentionsInRange, parameters: bounds) { record -> GraphMentionEdge? in
            guard let document = record[0].intValue, let entity = record[1].intValue else { return nil }
            return GraphMentionEdge(documentID: document, entityID: entity, count: record[2].intValue)
        }
        async let chunks = collect(GraphCypher.readChunksInRange, parameters: bounds) { record in
            GraphChunkNode(id: record[0].stringValue, index: record[1].intValue, start: record[2].intValue, end: record[3].intValue,
                           sha256: record[4].stringValue, documentID: record[5].intValue)
        }
        async let outgoing = collect(GraphCypher.readNextChunksFromRange, parameters: bounds, Self.identifiedLink)
        async let incoming = collect(GraphCypher.readNextChunksIntoRange, parameters: bounds, Self.identifiedLink)
        async let chunkMentions = collect(GraphCypher.readChunkMentionsInRange, parameters: bounds) { record -> GraphChunkMentionEdge? in
            guard let entity = record[0].intValue, let chunk = record[1].stringValue else { return nil }
            return GraphChunkMentionEdge(entityID: entity, chunkID: chunk, count: record[2].intValue)
        }
        // A NEXT_CHUNK between two chunks of the range comes from both queries: once it is.
        var seen = Set<String>()
        var links: [GraphChunkLink] = []
        for (id, link) in try await outgoing + incoming where seen.insert(id).inserted { links.append(link) }
        return GraphDocumentRange(
            documents: try await documents, mentions: try await mentions, chunks: try await chunks, nextChunks: links,
            chunkMentions: try await chunkMentions)
    }

    /// The ids of Chunk nodes with no FROM_DOCUMENT to any Document (what is wrong only).
    public func chunksWithoutDocument() async throws -> [String] {
        try await collect(GraphCypher.readChunksWithoutDocument) { $0[0].stringValue }
    }

    /// The Entity nodes with ids in `[from, below)`, with whether a MENTIONS points at each.
    public func entities(from: Int64, below: Int64) async throws -> [GraphEntityNode] {
        try await collect(GraphCypher.readEntitiesInRange, parameters: Self.bounds(from, below)) { record in
            GraphEntityNode(id: record[0].intValue, key: record[1].stringValue, name: record[2].stringValue,
                            type: record[3].stringValue, isMentioned: record[4].boolValue ?? false)
        }
    }

    /// The CO_OCCURS_WITH leaving Entity nodes with ids in `[from, below)`.
    public func cooccurrences(from: Int64, below: Int64) async throws -> [GraphCooccurrenceEdge] {
        try await collect(GraphCypher.readCooccurrencesInRange, parameters: Self.bounds(from, below)) { record -> GraphCooccurrenceEdge? in
            guard let from = record[0].intValue, let to = record[1].intValue else { return nil }
            return GraphCooccurrenceEdge(from: from, to: to, count: record[2].intValue, documents: record[3].intValue)
        }
    }

    private static func bounds(_ from: Int64, _ below: Int64) -> [String: PackStreamParameter] {
        ["from": .value(.integer(from)), "below": .value(.integer(below))]
    }

    @Sendable private static func identifiedLink(_ record: BoltRecord) -> (String, GraphChunkLink)? {
        guard let from = record[1].stringValue, let to = record[2].stringValue else { return nil }
        let id = record[0].stringValue ?? record[0].intValue.map(String.init) ?? "\(from)->\(to)"
        return (id, GraphChunkLink(from: from, to: to))
    }
}

/// What the graph holds for one range of document ids, as ``GraphReader/documentRange(from:below:)``
/// reads it for the consistency check.
public struct GraphDocumentRange: Sendable {
    public var documents: [GraphDocumentNode]
    public var mentions: [GraphMentionEdge]
    public var chunks: [GraphChunkNode]
    public var nextChunks: [GraphChunkLink]
    public var chunkMentions: [GraphChunkMentionEdge]
}
