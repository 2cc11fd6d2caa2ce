import Extraction
import GraphStore
@testable import Ingest
import Testing

/// `graphingest context` without a server: the question's entities, and the result as the
/// terminal and `--json` show it.
@Suite struct ContextJobTests {
    static func job() throws -> ContextJob {
        let gazetteer = try Gazetteer(entries: [
            .init(id: "geo:paris", name: "Paris", type: "City", aliases: ["Paris", "パリ"]),
            .init(id: "country:fr", name: "France", type: "Country", aliases: ["France"]),
        ])
        return ContextJob(extractor: try Extractor(gazetteer: gazetteer), limit: 5)
    }

    @Test func questionEntitiesComeOnceEachInOrderOfFirstMention() throws {
        let entities = try Self.job().questionEntities("Is FRANCE bigger than Paris? And パリ, in France?")
        #expect(entities == [ContextEntity(key: "country:fr", name: "France", type: "Country"),
                             ContextEntity(key: "geo:paris", name: "Paris", type: "City")])
        #expect(try Self.job().questionEntities("Nothing here.").isEmpty)
    }

    @Test func emptyResultsSayWhy() {
        let paris = ContextEntity(key: "geo:paris", name: "Paris", type: "City")
        #expect(ContextResult(question: "?", entities: [], chunks: []).emptyReason == "no entity of the gazetteer or rules in the question")
        #expect(ContextResult(question: "?", entities: [paris], chunks: []).emptyReason
            == "no chunk mentions the question's entities (Paris [geo:paris])")
    }

    @Test func linesShowSourceIndexEntitiesAndIndentedText() {
        let chunk = GraphContextChunk(
            id: "4:2", index: 2, text: "Paris, France.\nParis again.\n\n", documentID: 4, source: "a/b.txt", matchedEntities: 2,
            questionMentions: 3, entities: [GraphContextEntity(key: "geo:paris", name: "Paris", type: "City", count: 2),
                                            GraphContextEntity(key: "country:fr", name: "France", type: "Country", count: 1),
                                            GraphContextEntity(key: "geo:rome", name: "Rome", type: "City", count: 1)])
        let result = ContextResult(
            question: "Paris and France?",
            entities: [ContextEntity(key: "geo:paris", name: "Paris", type: "City"), ContextEntity(key: "country:fr", name: "France", type: "Country")],
            chunks: [ContextChunk(rank: 1, chunk: chunk, questionKeys: ["geo:paris", "country:fr"])])
        #expect(result.emptyReason == nil)
        #expect(result.chunks[0].entities.map(\.inQuestion) == [true, true, false])
        #expect(result.lines == [
            "question entities: Paris [geo:paris], France [country:fr]",
            "",
            "1. a/b.txt, chunk 2 (id 4:2): 2 of 2 question entities, 3 mentions, co-occurrence 0",
            "   entities: *Paris [geo:paris] 2, *France [country:fr] 1, Rome [geo:rome] 1",
            "   | Paris, France.",
            "   | Paris again.",
        ])
    }
}
