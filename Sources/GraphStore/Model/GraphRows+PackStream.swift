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
        writer.writeListHeader(count: offsets.count)
        for offset in offsets {
            writer.writeInteger(offset)
        }
    }
}

extension GraphChunkRow: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 7)
        writer.writeKey("id")
        writer.writeString(id)
        writer.writeKey("d")
        writer.writeInteger(documentID)
        writer.writeKey("i")
        writer.writeInteger(index)
        writer.writeKey("t")
        writer.writeString(text)
        writer.writeKey("s")
        writer.writeInteger(start)
        writer.writeKey("e")
        writer.writeInteger(end)
        writer.writeKey("h")
        writer.writeString(sha256)
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

extension GraphChunkMentionRow: PackStreamEncodable {
    public func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 4)
        writer.writeKey("e")
        writer.writeInteger(entityID)
        writer.writeKey("c")
        writer.writeString(chunkID)
        writer.writeKey("n")
        writer.writeInteger(count)
        writer.writeKey("o")
        writer.writeListHeader(count: offsets.count)
        for offset in offsets {
            writer.writeInteger(offset)
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
