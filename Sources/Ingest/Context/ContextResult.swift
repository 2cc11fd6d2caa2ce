import GraphStore

/// What `graphingest context` found for a question: its entities and the ranked chunks, as
/// `--json` prints it for a prompt builder.
public struct ContextResult: Sendable, Encodable, Equatable {
    /// The question as given.
    public var question: String
    /// The entities the extractor found in the question, in order of first mention.
    public var entities: [ContextEntity]
    /// The chunks, best first.
    public var chunks: [ContextChunk]
    /// The communities of the question's entities: the finest level first, then those holding
    /// more of the question's entities, then more documents.
    public var communities: [ContextCommunity] = []

    /// Why the result is empty, for the user; nil when it is not.
    public var emptyReason: String? {
        if entities.isEmpty { return "no entity of the gazetteer or rules in the question" }
        if chunks.isEmpty {
            return "no chunk mentions the question's entities (" + entities.map(\.label).joined(separator: ", ") + ")"
        }
        return nil
    }

    enum CodingKeys: String, CodingKey {
        case question, entities, chunks, communities
    }
}

/// A community of a question's entities, with the text a global retriever reads.
public struct ContextCommunity: Sendable, Encodable, Hashable {
    public var id: String
    public var level: Int
    public var size: Int
    /// Distinct documents that mention its entities (`community_rank`).
    public var rank: Int64
    public var title: String
    public var summary: String
    /// The question's entity keys among its members, sorted.
    public var questionEntities: [String]

    enum CodingKeys: String, CodingKey {
        case id, level, size, rank, title, summary
        case questionEntities = "question_entities"
    }

    /// The communities in the order the result gives them.
    static func ordered(_ found: [GraphContextCommunity]) -> [ContextCommunity] {
        found.sorted { ($0.level, -$0.keys.count, -$0.rank, $0.id) < ($1.level, -$1.keys.count, -$1.rank, $1.id) }
            .map { ContextCommunity(id: $0.id, level: $0.level, size: $0.size, rank: $0.rank, title: $0.title, summary: $0.summary,
                                    questionEntities: $0.keys.sorted()) }
    }
}

/// An entity of the question.
public struct ContextEntity: Sendable, Encodable, Hashable {
    /// The gazetteer id or the rule's key (`Entity.key`).
    public var key: String
    /// The gazetteer's name for it (or, for a rule, its match).
    public var name: String
    /// The gazetteer's or the rule's type.
    public var type: String

    /// `Name [key]`, as the text output shows an entity.
    public var label: String { "\(name) [\(key)]" }
}

/// A chunk of the result, with its rank and the figures it was ranked by.
public struct ContextChunk: Sendable, Encodable, Equatable {
    /// 1 for the best chunk.
    public var rank: Int
    /// The chunk's id (`"<document id>:<index>"`).
    public var id: String
    /// The id of the chunk's document.
    public var documentID: Int64
    /// The source of the chunk's document.
    public var source: String
    /// The chunk's position in its document, from 0.
    public var index: Int64
    /// The chunk's text as the graph holds it.
    public var text: String
    /// How many distinct question entities the chunk mentions (the first ranking criterion).
    public var matchedEntities: Int
    /// Their mentions in the chunk, summed (the second).
    public var questionMentions: Int64
    /// CO_OCCURS_WITH counts between the chunk's other entities and the question's, summed (the
    /// third).
    public var cooccurrence: Int64
    /// Every entity of the chunk: the question's first, then the most mentioned.
    public var entities: [ContextChunkEntity]

    init(rank: Int, chunk: GraphContextChunk, questionKeys: Set<String>) {
        self.rank = rank
        id = chunk.id
        documentID = chunk.documentID
        source = chunk.source
        index = chunk.index
        text = chunk.text
        matchedEntities = chunk.matchedEntities
        questionMentions = chunk.questionMentions
        cooccurrence = chunk.cooccurrence
        entities = chunk.entities.map {
            ContextChunkEntity(key: $0.key, name: $0.name, type: $0.type, count: $0.count, inQuestion: questionKeys.contains($0.key))
        }
    }

    enum CodingKeys: String, CodingKey {
        case rank, id, documentID = "document_id", source, index, text, matchedEntities = "matched_entities"
        case questionMentions = "question_mentions", cooccurrence, entities
    }
}

/// An entity of a chunk: its FROM_CHUNK count, and whether the question names it.
public struct ContextChunkEntity: Sendable, Encodable, Hashable {
    /// `Entity.key`.
    public var key: String
    /// `Entity.name`.
    public var name: String
    /// `Entity.type`.
    public var type: String
    /// Its mentions in the chunk.
    public var count: Int64
    /// Whether the question names it.
    public var inQuestion: Bool

    enum CodingKeys: String, CodingKey {
        case key, name, type, count, inQuestion = "in_question"
    }
}

extension ContextResult {
    /// The result for a terminal: the question's entities, then per chunk a heading (rank,
    /// source, index, id, the ranking figures), its entities (question entities marked `*`) and
    /// its text, indented.
    public var lines: [String] {
        var lines = ["question entities: " + (entities.isEmpty ? "none" : entities.map(\.label).joined(separator: ", "))]
        for chunk in chunks {
            lines.append("")
            lines.append("\(chunk.rank). \(chunk.source), chunk \(chunk.index) (id \(chunk.id)): \(chunk.matchedEntities) of "
                + "\(entities.count) question entities, \(chunk.questionMentions) mention\(chunk.questionMentions == 1 ? "" : "s"), "
                + "co-occurrence \(chunk.cooccurrence)")
            lines.append("   entities: " + chunk.entities.map { "\($0.inQuestion ? "*" : "")\($0.name) [\($0.key)] \($0.count)" }.joined(separator: ", "))
            var text = Substring(chunk.text)
            while let last = text.last, last.isWhitespace { text.removeLast() }
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append("   | " + line)
            }
        }
        if !communities.isEmpty {
            lines.append("")
            lines.append("communities (finest first):")
            for community in communities {
                lines.append("   level \(community.level): \(community.title) (\(community.size) entities, \(community.rank) documents; "
                    + "question entities: \(community.questionEntities.joined(separator: ", ")))")
                lines.append("   | " + community.summary)
            }
        }
        return lines
    }
}
