import Foundation
import IntegrationSupport
import Testing

/// Chunk lines through `extract` and `load` end to end, on the real servers: embeddings another
/// tool added land as `Chunk.embedding`, the chunks and FROM_CHUNK equal what `ingest` makes of
/// the same corpus, and embeddings of mixed dimensions are a dead letter naming the line.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct ChunkInterchangeEndToEndIntegrationTests {
    typealias EndToEnd = IngestEndToEndIntegrationTests
    static var corpus: String { EndToEnd.demo.appendingPathComponent("corpus").path }
    static let chunking = ["--chunk-size", "200"]

    /// `extract`'s lines for the demo corpus, parsed.
    static func extractedLines() throws -> [[String: Any]] {
        let output = try Shell.run(IntegrationEnvironment.graphingest,
                                   ["extract", corpus, "--gazetteer", EndToEnd.gazetteer, "--rules", EndToEnd.rules] + chunking)
        return try output.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// A made-up embedding for chunk `index` of `source`, as another tool would add one.
    static func embedding(_ source: String, _ index: Int, dimensions: Int = 4) -> [Double] {
        (0..<dimensions).map { Double(source.utf8.count * 10 + index) + Double($0) / 8 }
    }

    static func write(_ lines: [[String: Any]]) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-chunks-\(UUID().uuidString).jsonl")
        let text = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n")
        try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// Every chunk in the graph: "source index" -> its properties, with its id checked against its
    /// document's id.
    static func chunks(_ servers: ScratchServers) throws -> [String: [String: Any]] {
        var chunks: [String: [String: Any]] = [:]
        for record in try servers.cypherWithPythonDriver("""
            MATCH (c:Chunk)-[:FROM_DOCUMENT]->(d:Document)
            RETURN d.source AS source, d.id AS document, c.id AS id, c.index AS index, c.text AS text, c.start AS start,
                   c.end AS end, c.sha256 AS sha256, c.embedding AS embedding
            """) {
            let source = record["source"] as! String, index = record["index"] as! Int
            #expect(record["id"] as? String == "\(record["document"] as! Int):\(index)")
            chunks["\(source) \(index)"] = record
        }
        return chunks
    }

    /// Every FROM_CHUNK as "source index key count offsets", sorted.
    static func fromChunk(_ servers: ScratchServers) throws -> [String] {
        try servers.cypherWithPythonDriver("""
            MATCH (e:Entity)-[r:FROM_CHUNK]->(c:Chunk)-[:FROM_DOCUMENT]->(d:Document)
            RETURN d.source AS source, c.index AS index, e.key AS key, r.count AS count, r.offsets AS offsets
            """).map { "\($0["source"]!) \($0["index"]!) \($0["key"]!) \($0["count"]!) \($0["offsets"]!)" }.sorted()
    }

    @Test func embeddingsLandAndLoadGivesTheChunksIngestGives() throws {
        var lines = try Self.extractedLines()
        var expected: [String: (text: String, embedding: [Double])] = [:]
        for position in lines.indices where lines[position]["kind"] as? String == "chunk" {
            let source = lines[position]["source"] as! String, index = lines[position]["index"] as! Int
            let embedding = Self.embedding(source, index)
            lines[position]["embedding"] = embedding
            expected["\(source) \(index)"] = (lines[position]["text"] as! String, embedding)
        }
        #expect(expected.count > 32, "the demo corpus cut at 200 code points makes more chunks than documents")
        let file = try Self.write(lines)
        defer { try? FileManager.default.removeItem(at: file) }

        let loaded = try ScratchServers.make("chunkload")
        defer { loaded.drop() }
        let initialized = try EndToEnd.graphingest(["init"], loaded)
        #expect(initialized.status == 0, "\(initialized.stderr)")
        // ArcadeDB has neither index over Cypher: init says so, and how to make them natively.
        #expect(initialized.stderr.contains("no full-text index over Cypher"))
        #expect(initialized.stderr.contains("no vector index over Cypher"))
        #expect(initialized.stderr.contains("LSM_VECTOR"))
        let output = try EndToEnd.graphingest(["load", file.path, "--json", "--quiet"], loaded)
        #expect(output.status == 0, "\(output.stderr)")
        // What load recorded in the registry (chunk snapshots) agrees with the graph.
        let check = try EndToEnd.graphingest(["check", "--json"], loaded)
        #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
        let chunks = try Self.chunks(loaded)
        #expect(chunks.count == expected.count)
        for (key, value) in expected {
            #expect(chunks[key]?["text"] as? String == value.text, "\(key)")
            #expect(chunks[key]?["embedding"] as? [Double] == value.embedding, "\(key)")
        }

        let ingested = try ScratchServers.make("chunkingest")
        defer { ingested.drop() }
        try EndToEnd.initialize(ingested)
        let ingest = try EndToEnd.ingest(Self.corpus, ingested, extra: Self.chunking)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let reference = try Self.chunks(ingested)
        #expect(Set(reference.keys) == Set(chunks.keys))
        for (key, chunk) in reference {
            for field in ["text", "start", "end", "sha256"] {
                #expect("\(chunk[field]!)" == "\(chunks[key]?[field] ?? "missing")", "\(key) \(field)")
            }
        }
        let fromChunk = try Self.fromChunk(loaded)
        #expect(!fromChunk.isEmpty)
        #expect(fromChunk == (try Self.fromChunk(ingested)))
        #expect(try loaded.graphMentions() == ingested.graphMentions())

        // Loaded over what ingest made (the same registry, so the same document ids): the same
        // chunk ids and properties, the same FROM_CHUNK, and now the embeddings.
        let reload = try EndToEnd.graphingest(["load", file.path, "--json", "--quiet"], ingested)
        #expect(reload.status == 0, "\(reload.stderr)")
        let over = try Self.chunks(ingested)
        #expect(Set(over.keys) == Set(reference.keys))
        for (key, chunk) in reference {
            for field in ["id", "text", "start", "end", "sha256"] {
                #expect("\(chunk[field]!)" == "\(over[key]?[field] ?? "missing")", "\(key) \(field)")
            }
            #expect(over[key]?["embedding"] as? [Double] == expected[key]?.embedding, "\(key)")
        }
        #expect(try Self.fromChunk(ingested) == fromChunk)
    }

    @Test func embeddingsOfMixedDimensionsAreADeadLetterNamingTheLine() throws {
        var lines = try Self.extractedLines()
        let chunkLines = lines.indices.filter { lines[$0]["kind"] as? String == "chunk" }
        let first = try #require(chunkLines.first)
        let odd = try #require(chunkLines.first { lines[$0]["source"] as? String != lines[first]["source"] as? String })
        let oddSource = lines[odd]["source"] as! String
        for position in chunkLines {
            let source = lines[position]["source"] as! String, index = lines[position]["index"] as! Int
            lines[position]["embedding"] = Self.embedding(source, index, dimensions: position == odd ? 5 : 4)
        }
        let file = try Self.write(lines)
        defer { try? FileManager.default.removeItem(at: file) }

        let servers = try ScratchServers.make("chunkmixed")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)
        let output = try EndToEnd.graphingest(["load", file.path, "--json", "--quiet"], servers)
        #expect(output.status == 1, "\(output.stderr)")
        let summary = try EndToEnd.summary(output)
        #expect(summary["loaded"] as? Int == 31)
        #expect(summary["dead_letters"] as? Int == 1)
        let letters = try servers.sql("SELECT source, error FROM graphingest.dead_letters")
        #expect(letters.count == 1)
        #expect(letters.first?.first == oddSource)
        #expect(letters.first?.last?.hasPrefix("\(file.path):\(odd + 1): an embedding of 5 numbers where the first embedding of the run (line \(first + 1)) has 4") == true)
        let sources = try servers.cypherWithPythonDriver("MATCH (d:Document) RETURN d.source AS source").compactMap { $0["source"] as? String }
        #expect(sources.count == 31 && !sources.contains(oddSource), "the document with the bad line did not land at all")
    }

    /// Why the ArcadeDB dialect has no chunk index over Cypher: the server refuses Neo4j's forms
    /// over Bolt. When a new ArcadeDB accepts them, this fails, and the dialect can gain them.
    @Test func arcadeDBRefusesNeo4jsChunkIndexesOverBolt() throws {
        let servers = try ScratchServers.make("chunkddl")
        defer { servers.drop() }
        for statement in [
            "CREATE VECTOR INDEX graphingest_chunk_embedding IF NOT EXISTS FOR (c:Chunk) ON (c.embedding) "
                + "OPTIONS {indexConfig: {`vector.dimensions`: 4, `vector.similarity_function`: 'cosine'}}",
            "CREATE FULLTEXT INDEX graphingest_chunk_text IF NOT EXISTS FOR (c:Chunk) ON EACH [c.text]",
        ] {
            let output = try EndToEnd.graphingest(["query", statement], servers)
            #expect(output.status == 2, "\(output.stdout) \(output.stderr)")
            #expect(output.stderr.contains("Only standard, RANGE and TEXT index types are supported"), "\(output.stderr)")
        }
    }
}
