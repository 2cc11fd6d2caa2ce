import Foundation
import IntegrationSupport
import Testing

/// The lexical graph read back by other tools from the real ArcadeDB: the official Python driver
/// (every chunk, and the README's entity-to-passage Cypher) and neo4j-graphrag's own
/// `Neo4jChunkReader` (PyPI `neo4j-graphrag` in the test venv).
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct LexicalGraphReadBackIntegrationTests {
    /// The first ```cypher block of README.md's "Using the graph for GraphRAG" section: the test
    /// runs the statement users are shown.
    static func readmeRetrievalCypher() throws -> String {
        let readme = try String(contentsOf: IntegrationEnvironment.fixturesDirectory.deletingLastPathComponent()
            .appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "## Using the graph for GraphRAG"), "README has no GraphRAG section")
        let rest = readme[section.upperBound...]
        let open = try #require(rest.range(of: "```cypher\n"))
        let close = try #require(rest[open.upperBound...].range(of: "```"))
        return String(rest[open.upperBound..<close.lowerBound])
    }

    /// Reads the graph with the driver and with neo4j-graphrag; prints one JSON object of what
    /// it saw. Arguments: database, corpus folder, the README's statement.
    static let script = #"""
        import asyncio, json, os, sys, warnings
        from neo4j import GraphDatabase
        from neo4j_graphrag.components.neo4j_reader import Neo4jChunkReader

        database, corpus, retrieval = sys.argv[1], sys.argv[2], sys.argv[3]
        auth = (os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"])
        report = {}
        with GraphDatabase.driver(os.environ["GRAPHINGEST_BOLT_URI"], auth=auth) as driver:
            # (a) Every chunk with the official driver; each document's texts joined in index order.
            records, _, _ = driver.execute_query(
                "MATCH (c:Chunk)-[:FROM_DOCUMENT]->(d:Document) RETURN d.source AS source, c.id AS id, c.index AS index, c.text AS text",
                database_=database)
            report["driver_chunks"] = len(records)
            report["driver_ids"] = sorted(r["id"] for r in records)
            by_source = {}
            for r in records:
                by_source.setdefault(r["source"], []).append((r["index"], r["text"]))
            report["indexes_per_source"] = {s: sorted(i for i, _ in chunks) for s, chunks in by_source.items()}
            report["joined_equal"] = {}
            for name in sorted(os.listdir(corpus)):
                with open(os.path.join(corpus, name), encoding="utf-8") as f:
                    original = f.read()
                joined = "".join(text for _, text in sorted(by_source.get(name, [])))
                report["joined_equal"][name] = joined == original
            # (b) The README's entity-to-passage retrieval.
            rows, _, _ = driver.execute_query(retrieval, {"names": ["Paris", "France"]}, database_=database)
            report["retrieval"] = [{k: row[k] for k in ("path", "index", "entities", "mentions", "text")} for row in rows]
            # (c) neo4j-graphrag's chunk reader, which validates each chunk (text, index, string uid).
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                chunks = asyncio.run(Neo4jChunkReader(driver, neo4j_database=database).run()).chunks
            report["reader_chunks"] = len(chunks)
            report["reader_ids"] = sorted(c.uid for c in chunks)
            texts = {r["id"]: (r["index"], r["text"]) for r in records}
            report["reader_matches_driver"] = all(texts.get(c.uid) == (c.index, c.text) for c in chunks)
        print(json.dumps(report))
        """#

    @Test func driverAndNeo4jGraphRAGReadEveryChunkBackAndTheReadmeRetrievalRuns() throws {
        try ContextCorpus.withIngested("readback") { corpus, servers, summary in
            // One chunk per sentence in a.txt and b.txt; c.txt's two short sentences make one.
            let expectedChunks = 7
            #expect(summary["chunks"] as? Int == expectedChunks)

            var environment = servers.environment
            environment["PYTHONWARNINGS"] = "ignore"
            let output = try Shell.execute(IntegrationEnvironment.python, ["-c", Self.script, servers.name, corpus.corpus, try Self.readmeRetrievalCypher()],
                                           environment: environment)
            #expect(output.status == 0, "\(output.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any], "stdout: \(output.stdout)")

            // (a) Every chunk, and the texts joined per document give back each file exactly.
            #expect(report["driver_chunks"] as? Int == expectedChunks)
            #expect(report["indexes_per_source"] as? [String: [Int]] == ["a.txt": [0, 1, 2], "b.txt": [0, 1, 2], "c.txt": [0]])
            #expect(report["joined_equal"] as? [String: Bool] == ["a.txt": true, "b.txt": true, "c.txt": true])

            // (b) The README's statement ranks the passage holding both entities, most mentioned, first.
            let retrieval = try #require(report["retrieval"] as? [[String: Any]])
            #expect(retrieval.count == 5)
            #expect(retrieval.first?["path"] as? String == "b.txt")
            #expect(retrieval.first?["index"] as? Int == 2)
            #expect(retrieval.first?["entities"] as? Int == 2)
            #expect(retrieval.first?["mentions"] as? Int == 4)
            #expect(retrieval.first?["text"] as? String == ContextCorpus.documents[1].sentences[2])
            #expect(retrieval.map { "\($0["path"] ?? ""):\($0["index"] ?? "")" } == ContextCorpus.parisFranceRanking.map { "\($0.0):\($0.1)" })

            // (c) neo4j-graphrag reads every chunk, with the same ids, indexes and texts.
            #expect(report["reader_chunks"] as? Int == expectedChunks)
            #expect(report["reader_ids"] as? [String] == report["driver_ids"] as? [String])
            #expect(report["reader_matches_driver"] as? Bool == true)
        }
    }
}
