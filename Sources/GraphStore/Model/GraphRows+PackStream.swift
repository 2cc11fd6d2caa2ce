public import PackStream

// Rows write themselves straight into the RUN message: no PackStreamValue per field. Keys are
// short where a batch has many rows (MENTIONS), readable elsewhere.

extension GraphDocumentRow: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 6)
        writer.writeKey("id")
        writer.writeInteger(id)
        writer.writeKey("source")
        writer.writeString(source)
        writer.writeKey("title")
        writer.writeString(title)
        writer.writeKey("sha256")
        writer.writeString(sha256)
        writer.writeKey("bytes")
        writer.writeInteger(bytes)
        writer.writeKey("version")
        writer.writeInteger(version)
    }
}

extension GraphEntityRow: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 4)
        writer.writeKey("id")
        writer.writeInteger(id)
        writer.writeKey("key")
        writer.writeString(key)
        writer.writeKey("name")
        writer.writeString(name)
        writer.writeKey("type")
        writer.writeString(type)
    }
}

extension GraphMentionRow: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 4)
        writer.writeKey("d")
        writer.writeInteger(documentID)
        writer.writeKey("e")
        writer.writeInteger(entityID)
        writer.writeKey("c")
        writer.writeInteger(count)
        writer.writeKey("o")
        writer.writeIntegers(offsets)
    }
}

extension GraphChunkRow {
    /// A chunk with the FROM_CHUNK that lead to it: the row of ``GraphCypher/createChunks``,
    /// `{id, d, i, t, s, e, h, m}` with `m` as `[{e, n, o}]`.
    public struct WithMentions: Sendable, PackStreamEncodable {
        public var chunk: GraphChunkRow
        /// The chunk's FROM_CHUNK (their `chunkID` is the chunk's id).
        public var mentions: [GraphChunkMentionRow]

        public init(chunk: GraphChunkRow, mentions: [GraphChunkMentionRow]) {
            self.chunk = chunk
            self.mentions = mentions
        }

        /// A generous estimate of the row's PackStream size, for batch bounds.
        var estimatedBytes: Int { mentions.reduce(chunk.estimatedBytes) { $0 + $1.estimatedBytes } }

        public func encode(to writer: inout PackStreamWriter) {
            writer.writeMapHeader(count: 8)
            writer.writeKey("id")
            writer.writeString(chunk.id)
            writer.writeKey("d")
            writer.writeInteger(chunk.documentID)
            writer.writeKey("i")
            writer.writeInteger(chunk.index)
            writer.writeKey("t")
            writer.writeString(chunk.text)
            writer.writeKey("s")
            writer.writeInteger(chunk.start)
            writer.writeKey("e")
            writer.writeInteger(chunk.end)
            writer.writeKey("h")
            writer.writeString(chunk.sha256)
            writer.writeKey("m")
            writer.writeListHeader(count: mentions.count)
            for mention in mentions {
                writer.writeMapHeader(count: 3)
                writer.writeKey("e")
                writer.writeInteger(mention.entityID)
                writer.writeKey("n")
                writer.writeInteger(mention.count)
                writer.writeKey("o")
                writer.writeIntegers(mention.offsets)
            }
        }
    }

    /// The row of ``GraphCypher/setChunkEmbeddings``: `{id, v}`.
    struct Embedding: PackStreamEncodable {
        var id: String
        var vector: [Double]

        func encode(to writer: inout PackStreamWriter) {
            writer.writeMapHeader(count: 2)
            writer.writeKey("id")
            writer.writeString(id)
            writer.writeKey("v")
            writer.writeListHeader(count: vector.count)
            for value in vector {
                writer.writeFloat(value)
            }
        }
    }

    /// The row of ``GraphCypher/createNextChunks``: `{a, b}`, from a chunk to the next one.
    struct Link: PackStreamEncodable {
        var from: String
        var to: String

        func encode(to writer: inout PackStreamWriter) {
            writer.writeMapHeader(count: 2)
            writer.writeKey("a")
            writer.writeString(from)
            writer.writeKey("b")
            writer.writeString(to)
        }
    }
}

extension PackStreamWriter {
    /// Writes a list of integers (the offsets of MENTIONS and FROM_CHUNK).
    mutating func writeIntegers(_ values: [Int64]) {
        writeListHeader(count: values.count)
        for value in values {
            writeInteger(value)
        }
    }
}

extension GraphChunkDeletionRow: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 2)
        writer.writeKey("id")
        writer.writeString(chunkID)
        writer.writeKey("d")
        writer.writeInteger(keptDocumentID ?? -1)
    }
}

extension GraphChunkMentionRow: PackStreamEncodable {
    /// `{e, c, n, o}`: entity id, chunk id, count, offsets (what the repairs name pairs by).
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 4)
        writer.writeKey("e")
        writer.writeInteger(entityID)
        writer.writeKey("c")
        writer.writeString(chunkID)
        writer.writeKey("n")
        writer.writeInteger(count)
        writer.writeKey("o")
        writer.writeIntegers(offsets)
    }
}
