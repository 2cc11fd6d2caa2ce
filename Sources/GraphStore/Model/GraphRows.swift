/// A `(:Document)` node as the graph model of docs/design.md holds it.
public struct GraphDocumentRow: Sendable, Hashable {
    /// The registry's id for the document.
    public var id: Int64
    public var source: String
    public var title: String
    public var sha256: String
    public var bytes: Int64
    public var version: Int64

    public init(id: Int64, source: String, title: String, sha256: String, bytes: Int64, version: Int64) {
        self.id = id
        self.source = source
        self.title = title
        self.sha256 = sha256
        self.bytes = bytes
        self.version = version
    }
}

/// An `(:Entity)` node: the registry's id and the gazetteer (or rule) key, name and type.
public struct GraphEntityRow: Sendable, Hashable {
    public var id: Int64
    public var key: String
    public var name: String
    public var type: String

    public init(id: Int64, key: String, name: String, type: String) {
        self.id = id
        self.key = key
        self.name = name
        self.type = type
    }
}

/// A `(:Document)-[:MENTIONS {count, offsets}]->(:Entity)` relationship.
public struct GraphMentionRow: Sendable, Hashable {
    /// At most this many start offsets are kept on a relationship (docs/design.md).
    public static let maximumOffsets = 32

    public var documentID: Int64
    public var entityID: Int64
    /// The number of mentions of the entity in the document.
    public var count: Int64
    /// Start offsets (Unicode scalars) of the first mentions, at most `maximumOffsets`.
    public var offsets: [Int64]

    public init(documentID: Int64, entityID: Int64, count: Int64, offsets: [Int64]) {
        self.documentID = documentID
        self.entityID = entityID
        self.count = count
        self.offsets = Array(offsets.prefix(Self.maximumOffsets))
    }
}

/// A `(:Chunk)` node: one passage of a document, linked to it by FROM_DOCUMENT.
public struct GraphChunkRow: Sendable, Hashable {
    /// The chunk's id: ``id(document:index:)``, a string (neo4j-graphrag reads chunk ids as
    /// strings) that a rerun makes again, so chunks are never duplicated.
    public var id: String
    /// The registry id of the chunk's document.
    public var documentID: Int64
    /// The chunk's place in its document, from 0.
    public var index: Int64
    public var text: String
    /// Where the chunk starts and ends (exclusive) in Unicode scalars of the document text.
    public var start: Int64
    public var end: Int64
    /// SHA-256 (lower-case hex) of the text's UTF-8.
    public var sha256: String
    /// A vector another tool computed for the text (`Chunk.embedding`), if any.
    public var embedding: [Double]?

    public init(documentID: Int64, index: Int64, text: String, start: Int64, end: Int64, sha256: String, embedding: [Double]? = nil) {
        self.id = Self.id(document: documentID, index: index)
        self.documentID = documentID
        self.index = index
        self.text = text
        self.start = start
        self.end = end
        self.sha256 = sha256
        self.embedding = embedding
    }

    /// The id of chunk `index` of document `document`: `"<document>:<index>"`.
    public static func id(document: Int64, index: Int64) -> String {
        "\(document):\(index)"
    }
}

/// An `(:Entity)-[:FROM_CHUNK {count, offsets}]->(:Chunk)` relationship: the entity's mentions
/// in one chunk.
public struct GraphChunkMentionRow: Sendable, Hashable {
    public var entityID: Int64
    public var chunkID: String
    /// The number of the entity's mentions that belong to the chunk.
    public var count: Int64
    /// Start offsets (Unicode scalars from the chunk's start) of the first mentions, at most
    /// `GraphMentionRow.maximumOffsets`.
    public var offsets: [Int64]

    public init(entityID: Int64, chunkID: String, count: Int64, offsets: [Int64]) {
        self.entityID = entityID
        self.chunkID = chunkID
        self.count = count
        self.offsets = Array(offsets.prefix(GraphMentionRow.maximumOffsets))
    }
}

/// A Chunk id whose extra nodes a repair deletes (``GraphCypher/deleteChunks``).
public struct GraphChunkDeletionRow: Sendable, Hashable {
    /// The chunk id the nodes carry.
    public var chunkID: String
    /// The document whose chunk the id is in the registry: a node with this id hanging from it
    /// by FROM_DOCUMENT stays. Nil when the registry lists no such chunk: every node goes.
    public var keptDocumentID: Int64?

    public init(chunkID: String, keptDocumentID: Int64?) {
        self.chunkID = chunkID
        self.keptDocumentID = keptDocumentID
    }
}
