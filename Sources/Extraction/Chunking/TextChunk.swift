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
    /// Makes a chunk from its fields.
    public init(index: Int, start: Int, end: Int, text: String) {
        self.index = index
        self.start = start
        self.end = end
        self.text = text
    }

    /// SHA-256 (lower-case hex) of the text's UTF-8. Computed on each use, not when the chunk is
    /// cut: `extract` writes no hash (`load` computes it), and `ingest` asks once per chunk.
    public var sha256: String {
        var text = text
        return text.withUTF8 { SHA256.hex(UnsafeRawBufferPointer($0)) }
    }

    /// The span in Unicode scalars of the document text.
    public var range: Range<Int> { start..<end }
}
