/// One row of `document_chunk_mentions`: an entity's mentions in one chunk (a FROM_CHUNK link).
public struct ChunkMentionRecord: Sendable, Hashable {
    public var documentID: Int64
    public var chunkIndex: Int
    public var entityID: Int64
    public var count: Int

    /// Makes a record.
    public init(documentID: Int64, chunkIndex: Int, entityID: Int64, count: Int) {
        self.documentID = documentID
        self.chunkIndex = chunkIndex
        self.entityID = entityID
        self.count = count
    }
}

/// An entity's link to a chunk as the community step reads it: the chunk, the SHA-256 of its
/// text, and the entity's mentions in it.
public struct ChunkLinkRecord: Sendable, Hashable {
    public var entityID: Int64
    public var documentID: Int64
    public var chunkIndex: Int
    public var count: Int64
    public var sha256: String

    /// Makes a record.
    public init(entityID: Int64, documentID: Int64, chunkIndex: Int, count: Int64, sha256: String) {
        self.entityID = entityID
        self.documentID = documentID
        self.chunkIndex = chunkIndex
        self.count = count
        self.sha256 = sha256
    }
}

/// The marks of entities whose chunk links or documents changed since the last community step:
/// the rows read (consumed by id when the step records its result) and their entities.
public struct CommunityMarks: Sendable, Hashable {
    /// The rows' ids, in order.
    public var ids: [Int64] = []
    /// The entities marked.
    public var entities: Set<Int64> = []

    public init(ids: [Int64] = [], entities: Set<Int64> = []) {
        self.ids = ids
        self.entities = entities
    }
}

extension RegistryStore {
    /// Whether a document loaded before the registry recorded chunk mentions (migration 13) is
    /// still to be loaded again: while one is, the chunk links are read from the graph.
    public func chunkMentionsMissing() async throws -> Bool {
        let query = sql("SELECT 1 FROM {schema}.documents WHERE chunk_mentions_missing LIMIT 1")
        return try await transaction("chunkMentionsMissing", idempotent: true) { connection in
            try !connection.query(query, operation: "chunkMentionsMissing") { _ in 1 }.isEmpty
        }
    }

    /// The chunk links of the given entities (all of them with nil), with each chunk's text
    /// hash: what the graph's FROM_CHUNK links from those entities hold. One statement per
    /// batch of entities, or one for all.
    public func chunkLinks(ofEntities entityIDs: [Int64]?) async throws -> [ChunkLinkRecord] {
        let select = """
            SELECT m.entity_id, m.document_id, m.chunk_index, m.count, c.sha256 FROM {schema}.document_chunk_mentions m
            JOIN {schema}.document_chunks c ON c.document_id = m.document_id AND c.chunk_index = m.chunk_index
            """
        guard let entityIDs else {
            let query = sql(select)
            return try await transaction("chunkLinks", idempotent: true) { connection in
                try connection.query(query, operation: "chunkLinks", binaryResults: true, decode: ChunkLinkRecord.init(row:))
            }
        }
        let query = sql(select + " WHERE m.entity_id = ANY($1::bigint[])")
        var links: [ChunkLinkRecord] = []
        for batch in batches(entityIDs) {
            let ids = Array(batch)
            links += try await transaction("chunkLinks", idempotent: true) { connection in
                try connection.query(query, [ids], operation: "chunkLinks", binaryResults: true, decode: ChunkLinkRecord.init(row:))
            }
        }
        return links
    }

    /// The marks left since the last community step.
    public func communityMarks() async throws -> CommunityMarks {
        let query = sql("SELECT id, entity_id FROM {schema}.community_marks ORDER BY id")
        let rows = try await transaction("communityMarks", idempotent: true) { connection in
            try connection.query(query, operation: "communityMarks") { (try $0.decode(0, as: Int64.self), try $0.decode(1, as: Int64.self)) }
        }
        return CommunityMarks(ids: rows.map(\.0), entities: Set(rows.map(\.1)))
    }

    /// Consumes the marks read (a mark added since stays for the next step). Safe to repeat.
    public func consumeCommunityMarks(_ ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        try await transaction("consumeCommunityMarks", idempotent: true) { connection in
            _ = try connection.execute(sql("DELETE FROM {schema}.community_marks WHERE id = ANY($1::bigint[])"), [ids],
                                       operation: "consumeCommunityMarks")
        }
    }
}

extension ChunkLinkRecord {
    /// Decodes `entity_id, document_id, chunk_index, count, sha256`.
    init(row: PostgresRow) throws {
        self.init(entityID: try row.decode(0), documentID: try row.decode(1), chunkIndex: try row.decode(2), count: try row.decode(3),
                  sha256: try row.decode(4))
    }
}
