/// One line of the interchange JSONL (docs/design.md, "Interchange format"): what `graphingest
/// extract` writes and `graphingest load` reads.
public enum InterchangeRecord: Sendable, Hashable {
    /// `{"kind":"document","source":...,"sha256":...,"bytes":...,"title":...,"charset":...}`
    case document(Document)
    /// `{"kind":"entity","key":...,"name":...,"type":...}`
    case entity(Entity)
    /// `{"kind":"mention","source":...,"key":...,"count":...,"spans":[[start,end],...]}`
    case mention(Mention)
    /// `{"kind":"chunk","source":...,"index":...,"start":...,"end":...,"text":...}`, optionally with
    /// `"sha256"` and `"embedding":[...]`
    case chunk(Chunk)
    /// `{"kind":"pair","source":...,"a":...,"b":...,"count":...}`: how many windows of the
    /// document hold both entities (keys `a` and `b`, which the document mentions)
    case pair(Pair)

    /// A pair line: one entity pair of a document's co-occurrence counts, what the document adds
    /// to the pair's CO_OCCURS_WITH totals.
    public struct Pair: Sendable, Hashable {
        public var source: String
        /// The two entity keys (distinct; the order carries no meaning).
        public var a: String
        public var b: String
        /// The windows of the document that hold both, at least 1.
        public var count: Int

        /// Makes a pair line.
        public init(source: String, a: String, b: String, count: Int) {
            self.source = source
            self.a = a
            self.b = b
            self.count = count
        }
    }

    /// A document line.
    public struct Document: Sendable, Hashable {
        public var source: String
        public var sha256: String
        public var bytes: Int
        public var title: String
        /// The charset the document was decoded from (optional in the format).
        public var charset: String?

        /// Makes a document line.
        public init(source: String, sha256: String, bytes: Int, title: String, charset: String? = nil) {
            self.source = source
            self.sha256 = sha256
            self.bytes = bytes
            self.title = title
            self.charset = charset
        }
    }

    /// An entity line: it comes before the first mention that names its key.
    public struct Entity: Sendable, Hashable {
        public var key: String
        public var name: String
        public var type: String

        /// Makes an entity line.
        public init(key: String, name: String, type: String) {
            self.key = key
            self.name = name
            self.type = type
        }
    }

    /// A mention line: every mention of one entity in one document, as [start, end) in Unicode
    /// scalars of the decoded document text; `count` is `spans.count`.
    public struct Mention: Sendable, Hashable {
        public var source: String
        public var key: String
        public var spans: [Range<Int>]
        public var count: Int { spans.count }

        /// Makes a mention line.
        public init(source: String, key: String, spans: [Range<Int>]) {
            self.source = source
            self.key = key
            self.spans = spans
        }
    }

    /// A chunk line: one passage of a document's text, `[start, end)` in Unicode scalars of the
    /// decoded document text, with the vector another tool may have added.
    public struct Chunk: Sendable, Hashable {
        public var source: String
        /// The chunk's place in its document, from 0.
        public var index: Int
        public var start: Int
        public var end: Int
        public var text: String
        /// SHA-256 (lower-case hex) of the text's UTF-8: the line's, checked, or computed when the
        /// line has none.
        public var sha256: String
        /// The line's `embedding`, if any (`Chunk.embedding` in the graph).
        public var embedding: [Double]?

        /// Makes a chunk line.
        public init(source: String, index: Int, start: Int, end: Int, text: String, sha256: String, embedding: [Double]? = nil) {
            self.source = source
            self.index = index
            self.start = start
            self.end = end
            self.text = text
            self.sha256 = sha256
            self.embedding = embedding
        }

        /// Makes the line of an extracted chunk.
        public init(source: String, _ chunk: TextChunk) {
            self.init(source: source, index: chunk.index, start: chunk.start, end: chunk.end, text: chunk.text, sha256: chunk.sha256)
        }
    }
}
