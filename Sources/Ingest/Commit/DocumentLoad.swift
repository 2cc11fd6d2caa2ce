public import Extraction
import Foundation
public import Registry

/// One document ready to load: what identifies it, and what extraction found in it.
///
/// The producers make these (``CorpusProducer`` for `ingest` and `reindex`,
/// ``InterchangeProducer`` for `load`); the ``CommitStage`` writes them to the graph and the
/// registry.
public struct DocumentLoad: Sendable {
    public var source: String
    public var title: String
    public var sha256: String
    public var bytes: Int64
    public var charset: String?
    public var fileSize: Int64?
    public var fileModified: Date?
    /// The entities the document mentions, each once.
    public var mentions: [EntityMentionLoad]
    /// The document's chunks in index order (empty without chunks).
    public var chunks: [ChunkLoad]
    /// The entity pairs that share a window, `a` and `b` positions in `mentions` (empty without
    /// co-occurrence): what the document adds to the CO_OCCURS_WITH totals.
    public var pairs: [EntityPairCount]
    /// What counting the pairs saw.
    public var cooccurrence: CooccurrenceFigures
    /// The document's registry id, version and last run, when a claim registered it already
    /// (``QueueWorker/claim(_:fingerprint:setAside:payload:context:)``); nil for documents that
    /// `load` reads, which the commit registers.
    public var registered: RegisteredDocument?

    public init(source: String, title: String, sha256: String, bytes: Int64, charset: String? = nil,
                fileSize: Int64? = nil, fileModified: Date? = nil, mentions: [EntityMentionLoad], chunks: [ChunkLoad] = [],
                pairs: [EntityPairCount] = [], cooccurrence: CooccurrenceFigures = CooccurrenceFigures()) {
        self.source = source
        self.title = title
        self.sha256 = sha256
        self.bytes = bytes
        self.charset = charset
        self.fileSize = fileSize
        self.fileModified = fileModified
        self.mentions = mentions
        self.chunks = chunks
        self.pairs = pairs
        self.cooccurrence = cooccurrence
    }

    /// The number of mentions across all entities.
    public var mentionCount: Int { mentions.reduce(0) { $0 + $1.count } }
}

/// All mentions of one entity in one document.
public struct EntityMentionLoad: Sendable, Hashable {
    /// The entity's number in the run's ``EntityLedger``.
    public var entity: Int32
    /// How many times the document mentions the entity.
    public var count: Int
    /// Start offsets (Unicode scalars) of the first mentions, in order (at most
    /// `GraphMentionRow.maximumOffsets`).
    public var offsets: [Int64]

    public init(entity: Int32, count: Int, offsets: [Int64]) {
        self.entity = entity
        self.count = count
        self.offsets = offsets
    }
}

/// One chunk of a document on its way to the graph: the `Chunk` node and its FROM_CHUNK.
public struct ChunkLoad: Sendable {
    /// The chunk's place in its document, from 0.
    public var index: Int
    /// Where the chunk starts and ends (exclusive), in Unicode scalars of the document text.
    public var start: Int
    public var end: Int
    public var text: String
    /// SHA-256 (lower-case hex) of the text's UTF-8.
    public var sha256: String
    /// A vector another tool computed for the text, if any (`Chunk.embedding`).
    public var embedding: [Double]?
    /// The mentions that belong to the chunk; `entity` is a position in the document's
    /// ``DocumentLoad/mentions``.
    public var mentions: [ChunkEntityMentions]

    public init(index: Int, start: Int, end: Int, text: String, sha256: String, embedding: [Double]? = nil, mentions: [ChunkEntityMentions]) {
        self.index = index
        self.start = start
        self.end = end
        self.text = text
        self.sha256 = sha256
        self.embedding = embedding
        self.mentions = mentions
    }
}
