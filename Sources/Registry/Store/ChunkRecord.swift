/// A row of `document_chunks`: one chunk of a document as the graph should hold it.
public struct ChunkRecord: Sendable, Hashable {
    /// The document's registry id.
    public var documentID: Int64
    /// The chunk's place in its document, from 0.
    public var index: Int
    /// Where the chunk starts and ends (exclusive), in Unicode scalars of the document text.
    public var start: Int64
    public var end: Int64
    /// SHA-256 (lower-case hex) of the chunk's text.
    public var sha256: String
    /// The entities the chunk mentions, with their counts (its FROM_CHUNK links): recorded in
    /// `document_chunk_mentions` with the chunk; a snapshot read back leaves them out.
    public var mentions: [MentionCount]

    /// Makes a record.
    public init(documentID: Int64, index: Int, start: Int64, end: Int64, sha256: String, mentions: [MentionCount] = []) {
        self.documentID = documentID
        self.index = index
        self.start = start
        self.end = end
        self.sha256 = sha256
        self.mentions = mentions
    }
}
