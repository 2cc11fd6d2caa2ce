/// A Document node as the consistency check reads it. Fields are nil when the node lacks the
/// property or holds another type there (a hand-made node can hold anything).
public struct GraphDocumentNode: Sendable, Hashable {
    public var id: Int64?
    public var source: String?
    public var sha256: String?

    public init(id: Int64?, source: String?, sha256: String?) {
        self.id = id
        self.source = source
        self.sha256 = sha256
    }
}

/// An Entity node as the consistency check reads it, with whether any MENTIONS points at it.
public struct GraphEntityNode: Sendable, Hashable {
    public var id: Int64?
    public var key: String?
    public var name: String?
    public var type: String?
    /// Whether at least one MENTIONS relationship ends at this node.
    public var isMentioned: Bool

    public init(id: Int64?, key: String?, name: String?, type: String?, isMentioned: Bool) {
        self.id = id
        self.key = key
        self.name = name
        self.type = type
        self.isMentioned = isMentioned
    }
}

/// A MENTIONS relationship from a Document to an Entity, by their ids, with its `count`.
public struct GraphMentionEdge: Sendable, Hashable {
    public var documentID: Int64
    public var entityID: Int64
    /// The relationship's `count` (nil when missing or not an integer).
    public var count: Int64?

    public init(documentID: Int64, entityID: Int64, count: Int64?) {
        self.documentID = documentID
        self.entityID = entityID
        self.count = count
    }
}

/// A CO_OCCURS_WITH edge as the graph holds it, for the consistency check.
public struct GraphCooccurrenceEdge: Sendable, Hashable {
    /// The entity ids of the edge's start and end (the model wants `from < to`).
    public var from: Int64
    public var to: Int64
    /// The edge's `count` and `documents` (nil when missing or not integers).
    public var count: Int64?
    public var documents: Int64?

    public init(from: Int64, to: Int64, count: Int64?, documents: Int64?) {
        self.from = from
        self.to = to
        self.count = count
        self.documents = documents
    }
}

/// A constraint the server lists.
public struct GraphConstraint: Sendable, Hashable {
    /// The constraint's name.
    public var name: String
    /// Its kind as the server names it (`UNIQUENESS`, `NODE_KEY`...).
    public var type: String
    /// The labels (or relationship types) it applies to.
    public var labels: [String]
    /// The properties it covers.
    public var properties: [String]

    public init(name: String, type: String, labels: [String], properties: [String]) {
        self.name = name
        self.type = type
        self.labels = labels
        self.properties = properties
    }

    /// Whether it makes `label.property` unique on its own.
    public func makesUnique(label: String, property: String) -> Bool {
        let kind = type.uppercased()
        return (kind.contains("UNIQUE") || kind == "NODE_KEY") && labels == [label] && properties == [property]
    }
}

/// A Chunk node as the consistency check reads it (without its text), with the id of a
/// Document its FROM_DOCUMENT leads to. Fields are nil when missing or of another type.
public struct GraphChunkNode: Sendable, Hashable {
    public var id: String?
    public var index: Int64?
    public var start: Int64?
    public var end: Int64?
    public var sha256: String?
    /// The id of the Document a FROM_DOCUMENT leads to; nil when the node has none (a node with
    /// several is read once per relationship).
    public var documentID: Int64?

    public init(id: String?, index: Int64?, start: Int64?, end: Int64?, sha256: String?, documentID: Int64?) {
        self.id = id
        self.index = index
        self.start = start
        self.end = end
        self.sha256 = sha256
        self.documentID = documentID
    }
}

/// A NEXT_CHUNK relationship, by the ids of the chunks it joins.
public struct GraphChunkLink: Sendable, Hashable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }
}

/// A FROM_CHUNK relationship from an Entity to a Chunk, by their ids, with its `count`.
public struct GraphChunkMentionEdge: Sendable, Hashable {
    public var entityID: Int64
    public var chunkID: String
    /// The relationship's `count` (nil when missing or not an integer).
    public var count: Int64?

    public init(entityID: Int64, chunkID: String, count: Int64?) {
        self.entityID = entityID
        self.chunkID = chunkID
        self.count = count
    }
}
