/// A chunk that `graphingest context` found through the question's entities, as the graph
/// holds it, with the figures it was ranked by.
public struct GraphContextChunk: Sendable, Hashable {
    /// The chunk's id (`"<document id>:<index>"`).
    public var id: String
    /// The chunk's position in its document, from 0.
    public var index: Int64
    /// `Chunk.text`.
    public var text: String
    /// The id of the chunk's document.
    public var documentID: Int64
    /// The source of the chunk's document (its relative path, or its JSONL/CSV id).
    public var source: String
    /// How many distinct question entities the chunk mentions.
    public var matchedEntities: Int
    /// The sum of the FROM_CHUNK counts of those entities.
    public var questionMentions: Int64
    /// The sum of the CO_OCCURS_WITH counts between the chunk's other entities and the
    /// question's entities: how strongly what the chunk also names goes with the question.
    public var cooccurrence: Int64
    /// Every entity of the chunk: the question's first, then the most mentioned, then by key.
    public var entities: [GraphContextEntity]

    public init(id: String, index: Int64, text: String, documentID: Int64, source: String, matchedEntities: Int,
                questionMentions: Int64, cooccurrence: Int64 = 0, entities: [GraphContextEntity]) {
        self.id = id
        self.index = index
        self.text = text
        self.documentID = documentID
        self.source = source
        self.matchedEntities = matchedEntities
        self.questionMentions = questionMentions
        self.cooccurrence = cooccurrence
        self.entities = entities
    }
}

/// An entity of a context chunk, with its FROM_CHUNK count.
public struct GraphContextEntity: Sendable, Hashable {
    /// `Entity.key`.
    public var key: String
    /// `Entity.name` (the key when the node has none).
    public var name: String
    /// `Entity.type`.
    public var type: String
    /// The mentions of the entity in the chunk.
    public var count: Int64

    public init(key: String, name: String, type: String, count: Int64) {
        self.key = key
        self.name = name
        self.type = type
        self.count = count
    }
}
