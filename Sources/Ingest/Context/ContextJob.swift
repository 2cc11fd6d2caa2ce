public import Extraction
public import GraphStore

/// `graphingest context`: deterministic retrieval with no model. Finds a question's entities
/// with the extractor `ingest` used, and returns the chunks they lead to through FROM_CHUNK,
/// ranked (``GraphCypher/contextRanking``) and cut to a limit in one bounded statement.
///
/// It needs only the graph database: the registry is not read.
public struct ContextJob: Sendable {
    /// The extractor, built from the same gazetteer, rules and matching options as the ingest.
    public let extractor: Extractor
    /// The most chunks returned.
    public let limit: Int

    /// - Parameters:
    ///   - extractor: built from the ingest's gazetteer, rules and matching options.
    ///   - limit: the most chunks a question returns.
    public init(extractor: Extractor, limit: Int) {
        self.extractor = extractor
        self.limit = limit
    }

    /// The entities of `question`, in order of first mention, each once.
    /// - Throws: `ExtractionError` when ICU cannot open the session.
    package func questionEntities(_ question: String) throws(ExtractionError) -> [ContextEntity] {
        try extractor.makeSession().mentions(in: question).map {
            ContextEntity(key: $0.key, name: $0.name, type: $0.type)
        }
    }

    /// Finds the question's entities and reads the chunks they lead to from `database`. A
    /// question with no entity asks nothing of the server.
    public func run(question: String, on database: GraphDatabase) async throws -> ContextResult {
        let entities = try questionEntities(question)
        let chunks = entities.isEmpty ? [] : try await database.reader.contextChunks(keys: entities.map(\.key), limit: limit)
        let keys = Set(entities.map(\.key))
        var result = ContextResult(
            question: question, entities: entities,
            chunks: chunks.enumerated().map { ContextChunk(rank: $0.offset + 1, chunk: $0.element, questionKeys: keys) })
        if !entities.isEmpty {
            result.communities = ContextCommunity.ordered(try await database.reader.contextCommunities(keys: entities.map(\.key)))
        }
        return result
    }
}
