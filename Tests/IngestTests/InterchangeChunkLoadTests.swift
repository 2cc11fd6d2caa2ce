import Extraction
import Foundation
import GraphStore
@testable import Ingest
import Registry
import Synchronization
import Testing

/// `load` with chunk lines, without servers: chunks join their document with FROM_CHUNK made from
/// the mention lines' spans, a bad chunk line is a dead letter naming its line and fails its
/// whole document (the others land), and embeddings of mixed dimensions are refused.
@Suite struct InterchangeChunkLoadTests {
    typealias Lines = InterchangeProducerTests

    static func chunk(_ source: String, _ index: Int, _ start: Int, _ text: String, embedding: [Double]? = nil, sha256: String? = nil) -> String {
        let end = start + text.unicodeScalars.count
        var line = #"{"kind":"chunk","source":"\#(source)","index":\#(index),"start":\#(start),"end":\#(end),"text":"\#(text)""#
        if let sha256 { line += #","sha256":"\#(sha256)""# }
        if let embedding { line += #","embedding":[\#(embedding.map { "\($0)" }.joined(separator: ","))]"# }
        return line + "}"
    }

    /// Runs `lines` through the pipeline; `index` is the dimensions of an existing vector index.
    static func run(_ lines: [String], window: Int = 2, index: Int? = nil) async throws -> (IngestSummary, InMemoryRegistry, InMemoryGraph, ChunkEmbeddingDimensions) {
        let registry = InMemoryRegistry(), graph = InMemoryGraph()
        let pipeline = Pipeline(registry: registry, graph: graph, runID: 1, fingerprint: nil,
                                configuration: PipelineConfiguration(extractionWorkers: 1, writers: 1, documentsPerCommit: window),
                                cooccurrenceThreshold: PipelineConfiguration.defaultMinimumCooccurrence, label: "load", progress: ProgressReporter(label: "load", enabled: false))
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let embeddings = ChunkEmbeddingDimensions(index: index)
        let summary = try await pipeline.run(InterchangeProducer(
            input: .bytes(bytes, name: "in.jsonl"), window: CommitStage.Bounds(documents: window, relationships: 100), embeddings: embeddings))
        return (summary, registry, graph, embeddings)
    }

    @Test func chunksLandWithTheirEmbeddingsAndFromChunkMadeFromTheMentionSpans() async throws {
        let lines = [
            Lines.entity("e1"), Lines.entity("e2"),
            Lines.document("a"),
            Lines.mention("a", "e1", 12), Lines.mention("a", "e2", 2),
            Self.chunk("a", 0, 0, "0123456789", embedding: [0.5, 1]),
            Self.chunk("a", 1, 10, "abcdefghij", embedding: [1, 2]),
            Lines.mention("a", "e1", 3),  // a late mention line of the same document still counts
        ]
        let (summary, registry, graph, embeddings) = try await Self.run(lines, window: 5)
        #expect(summary.deadLetters == 0)
        #expect(embeddings.dimensions == 2)
        let id = try #require(registry.state.withLock { $0.documents["a"]?.id })
        let chunks = try #require(graph.state.withLock { $0.chunks[id] })
        #expect(chunks.map(\.text) == ["0123456789", "abcdefghij"])
        #expect(chunks.map(\.embedding) == [[0.5, 1], [1, 2]])
        #expect(chunks.map(\.sha256) == ["0123456789", "abcdefghij"].map { SHA256.hex(Array($0.utf8)) })
        let fromChunk = graph.state.withLock { $0.chunkMentions[id] ?? [] }
            .map { "\($0.chunkID) \($0.count) \($0.offsets)" }.sorted()
        // e1 at 3 and 12 (one in each chunk), e2 at 2 in the first.
        #expect(fromChunk.count == 3)
        #expect(fromChunk.filter { $0.hasPrefix("\(id):0 ") }.map { $0.dropFirst("\(id):0 ".count) }.sorted() == ["1 [2]", "1 [3]"])
        #expect(fromChunk.filter { $0.hasPrefix("\(id):1 ") }.map { $0.dropFirst("\(id):1 ".count) } == ["1 [2]"])
    }

    @Test func badChunkLinesFailTheirDocumentAsAWholeAndNameTheLine() async throws {
        let badSHA = String(repeating: "1", count: 64)
        let lines = [
            Lines.entity("e1"),                                   // 1
            Lines.document("gap"), Lines.mention("gap", "e1", 0),  // 2, 3
            Self.chunk("gap", 0, 0, "ab"), Self.chunk("gap", 2, 2, "cd"),  // 4, 5: index 1 missing
            Self.chunk("gap", 3, 4, "ef"),                        // 6: no second letter for a failed document
            Lines.document("count"),                              // 7
            #"{"kind":"chunk","source":"count","index":0,"start":0,"end":5,"text":"ab"}"#,  // 8
            Lines.document("sha"), Self.chunk("sha", 0, 0, "ab", sha256: badSHA),  // 9, 10
            Lines.document("good"), Self.chunk("good", 0, 0, "ab"),  // 11, 12
            Self.chunk("ghost", 0, 0, "ab"),                      // 13: no document line
            Lines.document("late"), Self.chunk("late", 1, 0, "ab"),  // 14, 15: starts at 1
        ]
        let (summary, registry, graph, _) = try await Self.run(lines, window: 10)
        #expect(summary.loaded == 1)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(letters.map(\.source) == ["gap", "count", "sha", "in.jsonl:13", "late"])
        #expect(letters[0].error.hasPrefix("in.jsonl:5: chunk index 2 where 1 was expected"))
        #expect(letters[0].error.hasSuffix("document gap is not loaded"))
        #expect(letters[1].error.hasPrefix("in.jsonl:8: 'end' - 'start' is 5 but the text has 2 Unicode scalars"))
        #expect(letters[2].error.hasPrefix("in.jsonl:10: 'sha256' is not the SHA-256 of the chunk's text"))
        #expect(letters[3].error.contains("has no earlier document line"))
        #expect(letters[4].error.hasPrefix("in.jsonl:15: chunk index 1 where 0 was expected"))
        let landed = registry.state.withLock { $0.documents.filter { $0.value.status == "loaded" }.map(\.key) }
        #expect(landed == ["good"])
        #expect(graph.state.withLock { $0.chunks.values.flatMap { $0 }.map(\.text) } == ["ab"])
    }

    @Test func aChunkLineAfterItsDocumentLeftTheWindowIsADeadLetter() async throws {
        let lines = [
            Lines.document("a"), Lines.document("b"), Lines.document("c"),  // a and b leave at c
            Self.chunk("a", 0, 0, "ab"),
        ]
        let (summary, registry, _, _) = try await Self.run(lines, window: 2)
        #expect(summary.loaded == 3)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(letters.map(\.source) == ["in.jsonl:4"])
        #expect(letters.first?.error.contains("after its document was written") == true)
    }

    @Test func embeddingsOfMixedDimensionsAreDeadLettersNamingTheLine() async throws {
        let lines = [
            Lines.document("a"), Self.chunk("a", 0, 0, "ab", embedding: [1, 2, 3]),
            Lines.document("b"), Self.chunk("b", 0, 0, "ab", embedding: [1, 2]),
            Lines.document("c"), Self.chunk("c", 0, 0, "ab"),  // no embedding: fine
        ]
        let (summary, registry, _, embeddings) = try await Self.run(lines, window: 5)
        #expect(summary.loaded == 2)
        #expect(embeddings.dimensions == 3)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(letters.map(\.source) == ["b"])
        #expect(letters.first?.error.hasPrefix("in.jsonl:4: an embedding of 2 numbers where the first embedding of the run (line 2) has 3") == true)

        // Against an index that exists already.
        let (_, registry2, _, _) = try await Self.run(Array(lines.prefix(2)), window: 5, index: 8)
        let letters2 = registry2.state.withLock { $0.deadLetters }
        #expect(letters2.first?.error.hasPrefix("in.jsonl:2: an embedding of 3 numbers where the vector index graphingest_chunk_embedding has 8") == true)
    }

    @Test func aNonNumericEmbeddingFailsItsDocument() async throws {
        let lines = [
            Lines.document("a"), #"{"kind":"chunk","source":"a","index":0,"start":0,"end":2,"text":"ab","embedding":[1,"x"]}"#,
            Lines.document("b"),
        ]
        let (summary, registry, _, _) = try await Self.run(lines, window: 5)
        #expect(summary.loaded == 1)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(letters.map(\.source) == ["a"])
        #expect(letters.first?.error.hasPrefix("in.jsonl:2: 'embedding' item 1 is not a finite number") == true)
    }

    /// What `ingest` makes of a document and what `load` makes of `extract`'s lines for it are
    /// the same: mentions, chunks (index, text, start, end, sha256) and each chunk's mentions.
    @Test func loadOfExtractedLinesGivesWhatIngestGives() throws {
        let gazetteer = try Gazetteer.load(path: Self.fixture("gazetteer.tsv"))
        let extractor = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(chunker: try TextChunker(size: 30, overlap: 12)))
        let text = "Paris is big. New York is bigger! Tokyo and NYC. 東京です。Paris again, and Paris. New York. Done here."
        let extracted = try extractor.extract(SourceDocument(source: "t.txt", title: "T", sha256: String(repeating: "a", count: 64),
                                                             bytes: text.utf8.count, charset: "UTF-8", text: text))
        #expect(extracted.chunks.count > 3)
        let ledger = EntityLedger()
        let ingested = DocumentLoad(extracted, fileSize: nil, fileModified: nil, ledger: ledger)

        var writer = InterchangeWriter()
        writer.write(extracted)
        var reader = InterchangeReader(bytes: writer.takeOutput())
        var assembler = InterchangeAssembler(ledger: ledger, window: CommitStage.Bounds(documents: 5, relationships: 1000), name: "x")
        while let record = try reader.next() {
            #expect(assembler.add(record, line: reader.line) == nil)
        }
        let loaded = try #require(assembler.takeWindow().first)
        #expect(loaded.mentions == ingested.mentions)
        func shape(_ load: DocumentLoad) -> [String] {
            load.chunks.map { "\($0.index) \($0.start) \($0.end) \($0.sha256) \($0.text) \($0.mentions)" }
        }
        #expect(shape(loaded) == shape(ingested))
        #expect(ingested.chunks.contains { !$0.mentions.isEmpty })
    }

    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fixtures/extraction/\(name)").path
    }
}
