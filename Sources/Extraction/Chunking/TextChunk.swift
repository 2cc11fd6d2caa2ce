/// One passage of a document's text, as `TextChunker` cuts it: the graph's `Chunk` node.
public struct TextChunk: Sendable, Hashable {
    /// The chunk's place in its document, from 0.
    public var index: Int
    /// Where the chunk starts in the document text, in Unicode scalars (code points).
    public var start: Int
    /// Where the chunk ends (exclusive), in Unicode scalars of the document text.
    public var end: Int
    /// The text: the document's scalars `start..<end`.
    public var text: String
    /// SHA-256 (lower-case hex) of the text's UTF-8.
    public var sha256: String

    /// Makes a chunk from its fields.
    public init(index: Int, start: Int, end: Int, text: String, sha256: String) {
        self.index = index
        self.start = start
        self.end = end
        self.text = text
        self.sha256 = sha256
    }

    /// The span in Unicode scalars of the document text.
    public var range: Range<Int> { start..<end }
}
