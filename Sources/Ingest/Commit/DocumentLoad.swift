import Foundation

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

    public init(source: String, title: String, sha256: String, bytes: Int64, charset: String? = nil,
                fileSize: Int64? = nil, fileModified: Date? = nil, mentions: [EntityMentionLoad]) {
        self.source = source
        self.title = title
        self.sha256 = sha256
        self.bytes = bytes
        self.charset = charset
        self.fileSize = fileSize
        self.fileModified = fileModified
        self.mentions = mentions
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
