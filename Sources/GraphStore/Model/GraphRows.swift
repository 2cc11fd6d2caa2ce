/// A `(:Document)` node as the graph model of DESIGN.md holds it.
public struct GraphDocumentRow: Sendable, Hashable {
    /// The registry's id for the document.
    public var id: Int64
    public var source: String
    public var title: String
    public var sha256: String
    public var bytes: Int64
    public var version: Int64

    public init(id: Int64, source: String, title: String, sha256: String, bytes: Int64, version: Int64) {
        self.id = id
        self.source = source
        self.title = title
        self.sha256 = sha256
        self.bytes = bytes
        self.version = version
    }
}

/// An `(:Entity)` node: the registry's id and the gazetteer (or rule) key, name and type.
public struct GraphEntityRow: Sendable, Hashable {
    public var id: Int64
    public var key: String
    public var name: String
    public var type: String

    public init(id: Int64, key: String, name: String, type: String) {
        self.id = id
        self.key = key
        self.name = name
        self.type = type
    }
}

/// A `(:Document)-[:MENTIONS {count, offsets}]->(:Entity)` relationship.
public struct GraphMentionRow: Sendable, Hashable {
    /// At most this many start offsets are kept on a relationship (DESIGN.md).
    public static let maximumOffsets = 32

    public var documentID: Int64
    public var entityID: Int64
    /// The number of mentions of the entity in the document.
    public var count: Int64
    /// Start offsets (Unicode scalars) of the first mentions, at most `maximumOffsets`.
    public var offsets: [Int64]

    public init(documentID: Int64, entityID: Int64, count: Int64, offsets: [Int64]) {
        self.documentID = documentID
        self.entityID = entityID
        self.count = count
        self.offsets = Array(offsets.prefix(Self.maximumOffsets))
    }
}
