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
