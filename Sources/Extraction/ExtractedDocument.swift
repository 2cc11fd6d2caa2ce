/// What extraction found in one document: its metadata, its mentions grouped by entity, and its
/// chunks when the extractor chunks.
public struct ExtractedDocument: Sendable, Hashable {
    /// The document's source, title, hash, size and charset (its text is not kept).
    public var source: String
    public var title: String
    public var sha256: String
    public var bytes: Int
    public var charset: String
    /// One entry per entity key, ordered by first mention, then key.
    public var entities: [EntityMentions]
    /// The document's passages (``TextChunker``), in order; empty without a chunker.
    public var chunks: [TextChunk] = []
    /// The entity pairs that share a window, sorted by `(a, b)` (positions in `entities`); empty
    /// without co-occurrence.
    public var pairs: [EntityPairCount] = []
    /// What counting the pairs saw.
    public var cooccurrence = CooccurrenceFigures()

    /// The number of mentions over all entities.
    public var mentionCount: Int { entities.reduce(0) { $0 + $1.spans.count } }
}

/// The mentions of one entity in one document.
public struct EntityMentions: Sendable, Hashable {
    /// The entity key: the gazetteer id, or the key a rule made.
    public var key: String
    /// The entity's name: the gazetteer name, or for a rule the text of its first match.
    public var name: String
    /// The entity type.
    public var type: String
    /// Every mention as [start, end) in Unicode scalars of the document text, in order.
    public var spans: [Range<Int>]

    /// The number of mentions.
    public var count: Int { spans.count }

    /// Makes the mentions of one entity.
    public init(key: String, name: String, type: String, spans: [Range<Int>]) {
        self.key = key
        self.name = name
        self.type = type
        self.spans = spans
    }
}
