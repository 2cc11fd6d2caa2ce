import Extraction
import Foundation
import GraphStore

/// What `graphingest context --global` found for a question: the communities of one level,
/// ranked for the question, with the title and summary (or loaded report) a global search's map
/// step reads.
public struct GlobalContextResult: Sendable, Encodable, Equatable {
    /// The question as given.
    public var question: String
    /// The level ranked (0 the finest); nil when the graph has no communities.
    public var level: Int?
    /// How many communities that level has.
    public var candidates: Int
    /// The entities the extractor found in the question, in order of first mention.
    public var entities: [ContextEntity]
    /// The question's words that were looked for in the communities' text (normalized, without
    /// function words and punctuation), sorted.
    public var terms: [String]
    /// The communities, best first, cut to the limit.
    public var communities: [GlobalCommunity]

    /// Why the result is empty, for the user; nil when it is not.
    public var emptyReason: String? {
        if level == nil { return "the graph has no communities (run graphingest communities)" }
        return communities.isEmpty ? "level \(level ?? 0) has no communities" : nil
    }

    enum CodingKeys: String, CodingKey {
        case question, level, candidates, entities, terms, communities
    }
}

/// A community ranked for a question, with the figures it was ranked by.
public struct GlobalCommunity: Sendable, Encodable, Equatable {
    /// 1 for the best community.
    public var rank: Int
    public var id: String
    public var level: Int
    public var size: Int
    /// Distinct documents that mention its entities (`community_rank`).
    public var documents: Int64
    public var title: String
    public var summary: String
    /// The question's entity keys among its members, sorted (the first ranking criterion).
    public var questionEntities: [String]
    /// The question's terms found in its title and summary, sorted.
    public var matchedTerms: [String]
    /// The sum of the matched terms' inverse document frequencies over the level's communities
    /// (the second criterion; `documents` is the third).
    public var termScore: Double

    enum CodingKeys: String, CodingKey {
        case rank, id, level, size, documents, title, summary
        case questionEntities = "question_entities", matchedTerms = "matched_terms", termScore = "term_score"
    }
}

/// Ranks the communities of one level for a question without a model: first by how many of the
/// question's entities they hold, then by how well their title and summary match the question's
/// words (each matched word weighs ln(1 + N / df), N the level's communities and df those whose
/// text has the word, so a word every summary has weighs little), then by the number of
/// documents, then by id. A question with neither entities nor matching words ranks by documents:
/// the level's most widespread themes, which is what "what are the main themes?" needs.
struct GlobalCommunityRanking {
    /// The question's terms: normalized word tokens that are not function words.
    let terms: [String]

    /// - Parameters:
    ///   - question: the question.
    ///   - tokenizer: normalizes as the gazetteer does.
    init(question: String, tokenizer: TextTokenizer) throws(ExtractionError) {
        terms = Array(Set(try Self.words(question, tokenizer))).sorted()
    }

    /// The normalized word tokens of `text` (any token with a letter or digit) that are not
    /// function words.
    static func words(_ text: String, _ tokenizer: TextTokenizer) throws(ExtractionError) -> [String] {
        try tokenizer.tokens(in: text).map(\.normalized).filter { word in
            word.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
                && !functionWords.contains(word)
        }
    }

    private static let functionWords = Set(WordList.defaultFunctionWords.words)

    /// Ranks `communities` (their `keys` are the question's entities among their members) and
    /// keeps the best `limit`.
    func rank(_ communities: [GraphContextCommunity], tokenizer: TextTokenizer, limit: Int) throws(ExtractionError) -> [GlobalCommunity] {
        let wanted = Set(terms)
        var matched: [[String]] = []
        var frequency: [String: Int] = [:]
        for community in communities {
            let words = Set(try Self.words(community.title + "\n" + community.summary, tokenizer)).intersection(wanted).sorted()
            for word in words { frequency[word, default: 0] += 1 }
            matched.append(words)
        }
        let total = Double(communities.count)
        let scored = zip(communities, matched).map { community, words in
            (community, words, words.reduce(0.0) { $0 + log(1 + total / Double(frequency[$1] ?? 1)) })
        }
        let ordered = scored.sorted { a, b in
            if a.0.keys.count != b.0.keys.count { return a.0.keys.count > b.0.keys.count }
            if a.2 != b.2 { return a.2 > b.2 }
            if a.0.rank != b.0.rank { return a.0.rank > b.0.rank }
            return a.0.id < b.0.id
        }
        return ordered.prefix(limit).enumerated().map { index, entry in
            let (community, words, score) = entry
            return GlobalCommunity(
                rank: index + 1, id: community.id, level: community.level, size: community.size, documents: community.rank,
                title: community.title, summary: community.summary, questionEntities: community.keys.sorted(),
                matchedTerms: words, termScore: (score * 1_000).rounded() / 1_000)
        }
    }
}

extension ContextJob {
    /// Ranks the communities of `level` (the coarsest when nil) for `question` and keeps
    /// `limit` of them: the input of a global search's map step.
    public func runGlobal(question: String, level: Int?, on database: GraphDatabase) async throws -> GlobalContextResult {
        let entities = try questionEntities(question)
        let tokenizer = try TextTokenizer(form: extractor.gazetteer.form, locale: extractor.options.locale)
        let ranking = try GlobalCommunityRanking(question: question, tokenizer: tokenizer)
        var result = GlobalContextResult(question: question, level: nil, candidates: 0, entities: entities, terms: ranking.terms, communities: [])
        let top = level == nil ? try await database.reader.topCommunityLevel() : level
        guard let chosen = top else { return result }
        result.level = chosen
        var candidates = try await database.reader.communities(atLevel: chosen)
        if !entities.isEmpty {
            let held = try await database.reader.contextCommunities(keys: entities.map(\.key)).filter { $0.level == chosen }
            let keys = Dictionary(held.map { ($0.id, $0.keys) }, uniquingKeysWith: { $0.union($1) })
            for index in candidates.indices { candidates[index].keys = keys[candidates[index].id] ?? [] }
        }
        result.candidates = candidates.count
        result.communities = try ranking.rank(candidates, tokenizer: tokenizer, limit: limit)
        return result
    }
}

extension GlobalContextResult {
    /// The result for a terminal: the question's entities and terms, then per community a
    /// heading (rank, level, title, figures) and its summary, indented.
    public var lines: [String] {
        var lines = [
            "question entities: " + (entities.isEmpty ? "none" : entities.map(\.label).joined(separator: ", ")),
            "question terms: " + (terms.isEmpty ? "none" : terms.joined(separator: ", ")),
            "communities of level \(level.map(String.init) ?? "-"): \(communities.count) of \(candidates), best first",
        ]
        for community in communities {
            lines.append("")
            lines.append("\(community.rank). \(community.title) (id \(community.id); \(community.size) entities, \(community.documents) documents; "
                + "question entities: \(community.questionEntities.isEmpty ? "none" : community.questionEntities.joined(separator: ", ")); "
                + "terms: \(community.matchedTerms.isEmpty ? "none" : community.matchedTerms.joined(separator: ", ")))")
            for line in community.summary.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append("   | " + line)
            }
        }
        return lines
    }
}
