public import NIOCore
public import PackStream

// Rows write themselves straight into the RUN message's buffer: no PackStreamValue per field.
// Keys are short where a batch has many rows (MENTIONS), readable elsewhere.

extension GraphDocumentRow: PackStreamEncodable {
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writePackStreamMapHeader(count: 6)
        buffer.writePackStreamString("id")
        buffer.writePackStreamInteger(id)
        buffer.writePackStreamString("source")
        buffer.writePackStreamString(source)
        buffer.writePackStreamString("title")
        buffer.writePackStreamString(title)
        buffer.writePackStreamString("sha256")
        buffer.writePackStreamString(sha256)
        buffer.writePackStreamString("bytes")
        buffer.writePackStreamInteger(bytes)
        buffer.writePackStreamString("version")
        buffer.writePackStreamInteger(version)
    }
}

extension GraphEntityRow: PackStreamEncodable {
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writePackStreamMapHeader(count: 4)
        buffer.writePackStreamString("id")
        buffer.writePackStreamInteger(id)
        buffer.writePackStreamString("key")
        buffer.writePackStreamString(key)
        buffer.writePackStreamString("name")
        buffer.writePackStreamString(name)
        buffer.writePackStreamString("type")
        buffer.writePackStreamString(type)
    }
}

extension GraphMentionRow: PackStreamEncodable {
    public func encode(to buffer: inout ByteBuffer) {
        buffer.writePackStreamMapHeader(count: 4)
        buffer.writePackStreamString("d")
        buffer.writePackStreamInteger(documentID)
        buffer.writePackStreamString("e")
        buffer.writePackStreamInteger(entityID)
        buffer.writePackStreamString("c")
        buffer.writePackStreamInteger(count)
        buffer.writePackStreamString("o")
        buffer.writePackStreamListHeader(count: offsets.count)
        for offset in offsets {
            buffer.writePackStreamInteger(offset)
        }
    }
}
