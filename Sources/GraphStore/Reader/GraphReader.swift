public import Bolt
import PackStream

/// Reads the graph model: in bulk for the consistency check (one streaming query per kind
/// of thing; records arrive a fetch-size batch at a time, `PULL {n}`; never a round trip per
/// document), and the chunks a question leads to (`graphingest context`).
///
/// Each read runs in one managed read transaction; a retried attempt starts its collection
/// afresh.
public struct GraphReader: Sendable {
    /// The client to read through; the caller owns its lifetime.
    public let client: BoltClient
    /// The database to read (nil for the server's default).
    public let database: String?

    public init(client: BoltClient, database: String?) {
        self.client = client
        self.database = database
    }

    /// Every Document node.
    public func documents() async throws -> [GraphDocumentNode] {
        try await collect(GraphCypher.readDocuments) { record in
            GraphDocumentNode(id: record[0].intValue, source: record[1].stringValue, sha256: record[2].stringValue)
        }
    }

    /// Every Entity node, with whether a MENTIONS points at it.
    public func entities() async throws -> [GraphEntityNode] {
        try await collect(GraphCypher.readEntities) { record in
            GraphEntityNode(id: record[0].intValue, key: record[1].stringValue, name: record[2].stringValue,
                            type: record[3].stringValue, isMentioned: record[4].boolValue ?? false)
        }
    }

    /// Every MENTIONS from a Document to an Entity whose ends carry integer ids.
    public func mentions() async throws -> [GraphMentionEdge] {
        try await collect(GraphCypher.readMentions) { record in
            guard let document = record[0].intValue, let entity = record[1].intValue else { return nil }
            return GraphMentionEdge(documentID: document, entityID: entity, count: record[2].intValue)
        }
    }

    /// The element ids of MENTIONS whose ends are not a Document and an Entity.
    public func danglingMentions() async throws -> [String] {
        try await collect(GraphCypher.readDanglingMentions) { record in
            record[0].stringValue ?? record[0].intValue.map(String.init)
        }
    }

    /// Every Chunk node (without its text), once per FROM_DOCUMENT it has, or once without.
    public func chunks() async throws -> [GraphChunkNode] {
        try await collect(GraphCypher.readChunks) { record in
            GraphChunkNode(id: record[0].stringValue, index: record[1].intValue, start: record[2].intValue, end: record[3].intValue,
                           sha256: record[4].stringValue, documentID: record[5].intValue)
        }
    }

    /// Every NEXT_CHUNK between Chunks whose ids are strings.
    public func nextChunks() async throws -> [GraphChunkLink] {
        try await collect(GraphCypher.readNextChunks) { record in
            guard let from = record[0].stringValue, let to = record[1].stringValue else { return nil }
            return GraphChunkLink(from: from, to: to)
        }
    }

    /// Every FROM_CHUNK from an Entity with an integer id to a Chunk with a string id.
    public func chunkMentions() async throws -> [GraphChunkMentionEdge] {
        try await collect(GraphCypher.readChunkMentions) { record in
            guard let entity = record[0].intValue, let chunk = record[1].stringValue else { return nil }
            return GraphChunkMentionEdge(entityID: entity, chunkID: chunk, count: record[2].intValue)
        }
    }

    /// The constraints the server lists, in the dialect's own statement (`SHOW CONSTRAINTS` in
    /// Neo4j 5 and ArcadeDB, `SHOW CONSTRAINT INFO` in Memgraph).
    public func constraints(dialect: GraphDialect) async throws -> [GraphConstraint] {
        let listing = dialect.constraintListing
        return try await collect(listing.statement) { record in
            func strings(_ key: String) -> [String] {
                guard let value = record[key] else { return [] }
                if let list = value.listValue { return list.compactMap(\.stringValue) }
                return value.stringValue.map { [$0] } ?? []
            }
            return GraphConstraint(
                name: record["name"]?.stringValue ?? "", type: record[listing.type]?.stringValue ?? "",
                labels: strings(listing.labels), properties: strings(listing.properties))
        }
    }

    /// Runs `query` in a read transaction and maps its records as they stream in; nil drops one.
    func collect<Row: Sendable>(
        _ query: String, parameters: [String: PackStreamParameter] = [:], _ transform: @escaping @Sendable (BoltRecord) -> Row?
    ) async throws -> [Row] {
        try await client.withSession(database: database) { session in
            try await session.executeRead { transaction in
                var rows: [Row] = []
                for try await record in try await transaction.run(query, parameters: parameters) {
                    if let row = transform(record) { rows.append(row) }
                }
                return rows
            }
        }
    }
}
