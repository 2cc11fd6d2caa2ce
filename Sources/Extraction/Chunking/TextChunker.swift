/// Cuts a document's text into chunks of whole sentences (ICU sentence breaks), for the graph's
/// `Chunk` nodes.
///
/// A chunk holds as many whole sentences as fit in `size` Unicode scalars. A sentence longer
/// than `size` is cut at the last word boundary (ICU) within the size, and a run with no word
/// boundary at all (a URL, a base64 blob, a 10 MB line of letters) is cut hard at the size; so
/// every chunk has at most `size` scalars, and the work is linear in the text. Without overlap
/// the chunks tile the text: their texts joined give it back exactly, white space included (a
/// sentence keeps the spaces and line breaks that follow it, as ICU's iterator reports it). So a
/// text of white space only is chunked like any other (its chunks are white space); only an empty
/// text has no chunks.
///
/// Immutable and Sendable: make one and share it. ICU break iterators keep state and are
/// expensive to open, so each worker opens a `TextChunkerSession` and reuses it.
public struct TextChunker: Sendable, Hashable {
    /// The default `size`: 1,500 code points.
    ///
    /// About 250–350 words of English or another European language, which is 350–450 tokens
    /// for common embedding models: it fits the 512-token window of small multilingual
    /// embedders whole, and sits in the middle of the 1,000–2,000 characters usual for
    /// retrieval. neo4j-graphrag's 4,000 characters would be cut off by such embedders and
    /// dilutes a passage: the more sentences a chunk holds, the less a question's entities
    /// found in it say about the rest of it. Chinese and Japanese carry more per code point
    /// (roughly one token per character): pass a smaller size for them if the embedder's window
    /// is small.
    public static let defaultSize = 1_500

    /// The most Unicode scalars a chunk holds.
    public let size: Int
    /// How far back, in Unicode scalars, a chunk starts before the previous one's end: rounded
    /// down to whole sentences (a chunk repeats the previous chunk's last sentences that fit in
    /// `overlap` scalars), and less when the chunk's first new sentence would not fit beside
    /// them. 0 (the default) for chunks that tile the text.
    public let overlap: Int
    /// The sentence and word break locale ("" for the root locale, which ends sentences at
    /// `.!?` and at Chinese and Japanese `。！？`, and finds Thai, Lao, Khmer, Burmese, Chinese
    /// and Japanese word boundaries with dictionaries). ICU also ends a sentence at every line
    /// break (UAX #29 rule SB4), so hard-wrapped text gives sentences of a line; and the root
    /// locale ends one after "Mr." or "U.S.": a locale with `@ss=standard` ("en@ss=standard")
    /// keeps ICU's list of that language's abbreviations from ending sentences.
    public let locale: String

    /// Makes a chunker and checks that ICU can open its iterators.
    /// - Parameters:
    ///   - size: the most scalars in a chunk (`--chunk-size`), at least 1.
    ///   - overlap: scalars of whole sentences repeated from the previous chunk
    ///     (`--chunk-overlap`), from 0 up to but not including `size`.
    ///   - locale: the break iterators' locale.
    /// - Throws: `ExtractionError` with code `.invalidOption` for a size or overlap out of
    ///   range, `.icu` when ICU cannot open a break iterator for the locale.
    public init(size: Int = defaultSize, overlap: Int = 0, locale: String = "") throws(ExtractionError) {
        guard size >= 1, size <= Int(Int32.max) else {
            throw ExtractionError(.invalidOption, message: "the chunk size must be at least 1 code point (got \(size))")
        }
        guard overlap >= 0, overlap < size else {
            throw ExtractionError(.invalidOption, message: "the chunk overlap must be at least 0 and less than the chunk size \(size) (got \(overlap))")
        }
        self.size = size
        self.overlap = overlap
        self.locale = locale
        _ = try makeSession()
    }

    /// Opens a session for one worker.
    public func makeSession() throws(ExtractionError) -> TextChunkerSession {
        try TextChunkerSession(self)
    }

    /// The chunks of `text`, with a session of its own (convenient; for throughput, reuse a
    /// session per worker).
    public func chunks(of text: String) throws(ExtractionError) -> [TextChunk] {
        try makeSession().chunks(of: text)
    }

    /// The version of the chunking algorithm: bump it when the same text would be cut
    /// differently, so that a reindex chunks every document again.
    public static let algorithmVersion = "chunk-1"

    /// A hash of everything that decides the chunks of a text (size, overlap, locale, the ICU
    /// version and the algorithm version): when it changes, every document needs chunking again.
    public var fingerprint: String {
        var hash = SHA256()
        hash.update([Self.algorithmVersion, ICUInfo.version, String(size), String(overlap), locale].joined(separator: "\n"))
        return hash.hexDigest()
    }
}
