import Foundation
import IntegrationSupport
import Testing

/// `graphingest context` end to end on the real ArcadeDB: a corpus of known chunks is ingested,
/// then questions are asked of it.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized)
struct ContextCommandIntegrationTests {
    /// Each document's id in the graph, by source (the tie-break and the chunk ids use them).
    static func documentIDs(_ servers: ScratchServers) throws -> [String: Int] {
        var ids: [String: Int] = [:]
        for record in try servers.cypherWithPythonDriver("MATCH (d:Document) RETURN d.source AS source, d.id AS id") {
            ids[record["source"] as! String] = record["id"] as? Int
        }
        return ids
    }

    static func json(_ output: Shell.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "stdout: \(output.stdout)")
    }

    @Test func ranksChunksByQuestionEntitiesThenMentionsAndPrintsThem() throws {
        try ContextCorpus.withIngested("context") { corpus, servers, _ in
            let ids = try Self.documentIDs(servers)
            let expected = ContextCorpus.parisFranceRanking.map { "\(ids[$0.0]!):\($0.1)" }
            let question = "Which passages say how Paris and France are linked?"

            // --json: the question's entities, then every chunk either leads to, ranked.
            let output = try corpus.context([question, "--json", "--limit", "10"], servers)
            #expect(output.status == 0, "\(output.stderr)")
            let result = try Self.json(output)
            #expect(result["question"] as? String == question)
            let entities = try #require(result["entities"] as? [[String: Any]])
            #expect(entities.map { $0["key"] as? String } == ["geo:paris", "country:fr"])
            #expect(entities.map { $0["name"] as? String } == ["Paris", "France"])
            let chunks = try #require(result["chunks"] as? [[String: Any]])
            #expect(chunks.map { $0["id"] as? String } == expected)
            #expect(chunks.map { $0["rank"] as? Int } == [1, 2, 3, 4, 5])
            #expect(chunks.map { $0["matched_entities"] as? Int } == [2, 2, 1, 1, 1])
            #expect(chunks.map { $0["question_mentions"] as? Int } == [4, 2, 2, 1, 1])
            let first = chunks[0]
            #expect(first["source"] as? String == "b.txt")
            #expect(first["index"] as? Int == 2)
            #expect(first["document_id"] as? Int == ids["b.txt"])
            #expect(first["text"] as? String == ContextCorpus.documents[1].sentences[2])
            let firstEntities = try #require(first["entities"] as? [[String: Any]])
            #expect(firstEntities.map { $0["key"] as? String } == ["geo:paris", "country:fr"])
            #expect(firstEntities.map { $0["count"] as? Int } == [3, 1])
            #expect(firstEntities.map { $0["in_question"] as? Bool } == [true, true])
            // A chunk's other entities are listed too, marked as not asked for.
            let rome = try #require(chunks.first { $0["id"] as? String == "\(ids["b.txt"]!):0" }?["entities"] as? [[String: Any]])
            #expect(rome.map { $0["key"] as? String } == ["geo:paris", "geo:rome"])
            #expect(rome.map { $0["in_question"] as? Bool } == [true, false])
            #expect(Set(first.keys) == ["rank", "id", "document_id", "source", "index", "text", "matched_entities", "question_mentions", "cooccurrence", "entities"])

            // --limit cuts the same ranking.
            let limited = try Self.json(try corpus.context([question, "--json", "--limit", "3"], servers))
            #expect((limited["chunks"] as? [[String: Any]])?.map { $0["id"] as? String } == Array(expected.prefix(3)))

            // The text output: source, index, entities and the chunk's text, best first.
            let text = try corpus.context([question, "--limit", "2"], servers)
            #expect(text.status == 0, "\(text.stderr)")
            let lines = text.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            #expect(lines.first == "question entities: Paris [geo:paris], France [country:fr]")
            let headings = lines.filter { $0.first?.isNumber == true }
            #expect(headings.count == 2)
            #expect(headings.first?.hasPrefix("1. b.txt, chunk 2 (id \(expected[0])): 2 of 2 question entities, 4 mentions") == true)
            #expect(headings.last?.hasPrefix("2. a.txt, chunk 0 (id \(expected[1]))") == true)
            #expect(lines.contains("   entities: *Paris [geo:paris] 3, *France [country:fr] 1"))
            #expect(lines.contains("   | Paris, France: Paris again, and Paris once more."))
            #expect(lines.contains("   | Paris is the capital of France and its largest city."))
            #expect(!text.stdout.contains("Berlin has many museums"))
            #expect(text.stderr.contains("context: 2 chunks for 2 question entities"))
        }
    }

    @Test func coOccurrenceWithTheQuestionBreaksTiesBeforeDocumentOrder() throws {
        try ContextCorpus.withIngested("contextcooc") { corpus, servers, _ in
            let ids = try Self.documentIDs(servers)
            // France is named once in each of three chunks: a tie on entities and mentions. Paris
            // and France share two sentences (an edge of count 2), so the two chunks that also
            // name Paris come first, before document order would put b.txt's chunk 1 second.
            let output = try corpus.context(["What about France?", "--json"], servers)
            #expect(output.status == 0, "\(output.stderr)")
            let chunks = try #require(try Self.json(output)["chunks"] as? [[String: Any]])
            #expect(chunks.map { $0["id"] as? String } == ["\(ids["a.txt"]!):0", "\(ids["b.txt"]!):2", "\(ids["b.txt"]!):1"])
            #expect(chunks.map { $0["cooccurrence"] as? Int } == [2, 2, 0])
            #expect(chunks.map { $0["question_mentions"] as? Int } == [1, 1, 1])
        }
    }

    @Test func aQuestionWithoutAKnownEntityFindsNothingAndExitsZero() throws {
        try ContextCorpus.withIngested("contextnone") { corpus, servers, _ in

            // No entity of the gazetteer in the question.
            let none = try corpus.context(["What is the weather like today?", "--json"], servers)
            #expect(none.status == 0, "\(none.stderr)")
            let result = try Self.json(none)
            #expect((result["entities"] as? [Any])?.isEmpty == true)
            #expect((result["chunks"] as? [Any])?.isEmpty == true)
            #expect(none.stderr.contains("context: no entity of the gazetteer or rules in the question"))
            let plain = try corpus.context(["What is the weather like today?"], servers)
            #expect(plain.status == 0)
            #expect(plain.stdout.isEmpty)
            #expect(plain.stderr.contains("no entity of the gazetteer or rules in the question"))

            // An entity of the gazetteer that no chunk mentions.
            let unknown = try corpus.context(["Is Oslo far from here?", "--json"], servers)
            #expect(unknown.status == 0, "\(unknown.stderr)")
            let unknownResult = try Self.json(unknown)
            #expect((unknownResult["entities"] as? [[String: Any]])?.map { $0["key"] as? String } == ["geo:oslo"])
            #expect((unknownResult["chunks"] as? [Any])?.isEmpty == true)
            #expect(unknown.stderr.contains("no chunk mentions the question's entities (Oslo [geo:oslo])"))
        }
    }

    @Test func initIndexesEntityKeysAndContextRejectsBadArguments() throws {
        let servers = try ScratchServers.make("contextindex")
        defer { servers.drop() }
        let initialized = try Shell.execute(IntegrationEnvironment.graphingest, ["init"], environment: servers.environment)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        #expect(initialized.stderr.contains("index on Entity.key"))
        // A second init is a no-op, the index included.
        #expect(try Shell.execute(IntegrationEnvironment.graphingest, ["init"], environment: servers.environment).status == 0)
        let indexes = try servers.cypherWithPythonDriver("SHOW INDEXES")
        let key = indexes.filter { $0["name"] as? String == "graphingest_entity_key" }
        #expect(key.count == 1)
        #expect(key.first?["labelsOrTypes"] as? [String] == ["Entity"])
        #expect(key.first?["properties"] as? [String] == ["key"])

        let corpus = try ContextCorpus.make()
        defer { corpus.remove() }
        #expect(try corpus.context(["Paris", "--limit", "0"], servers).status == 2)
        let noGazetteer = try Shell.execute(IntegrationEnvironment.graphingest, ["context", "Paris"], environment: servers.environment)
        #expect(noGazetteer.status == 2)
        #expect(noGazetteer.stderr.contains("--gazetteer"))
        // context uses only the graph: a registry option is refused, not ignored.
        #expect(try corpus.context(["Paris", "--postgres", "host=nowhere"], servers).status == 2)
        let missing = try Shell.execute(IntegrationEnvironment.graphingest, ["context", "Paris", "--gazetteer", "/nonexistent.tsv"],
                                        environment: servers.environment)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent.tsv"))
    }
}
