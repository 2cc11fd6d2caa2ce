import Extraction
import GraphStore
@testable import Ingest
import Registry
import Synchronization
import Testing

/// `load`'s parser without servers: bad lines are dead letters naming their line, a document's
/// mention lines join it (repeated ones added up), and memory holds one window of documents.
@Suite struct InterchangeProducerTests {
    static let sha = String(repeating: "ab", count: 32)

    static func document(_ source: String) -> String {
        #"{"kind":"document","source":"\#(source)","sha256":"\#(sha)","bytes":10,"title":"\#(source)"}"#
    }

    static func entity(_ key: String) -> String {
        #"{"kind":"entity","key":"\#(key)","name":"\#(key)","type":"T"}"#
    }

    static func mention(_ source: String, _ key: String, _ start: Int) -> String {
        #"{"kind":"mention","source":"\#(source)","key":"\#(key)","count":1,"spans":[[\#(start),\#(start + 1)]]}"#
    }

    static func run(_ lines: [String], window: Int = 2) async throws -> (IngestSummary, InMemoryRegistry, InMemoryGraph) {
        let registry = InMemoryRegistry(), graph = InMemoryGraph()
        let pipeline = Pipeline(registry: registry, graph: graph, runID: 1, fingerprint: nil,
                                configuration: PipelineConfiguration(extractionWorkers: 1, writers: 1, documentsPerCommit: window),
                                cooccurrenceThreshold: PipelineConfiguration.defaultMinimumCooccurrence, label: "load", progress: ProgressReporter(label: "load", enabled: false))
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let summary = try await pipeline.run(InterchangeProducer(
            input: .bytes(bytes, name: "in.jsonl"), window: CommitStage.Bounds(documents: window, relationships: 100)))
        return (summary, registry, graph)
    }

    @Test func badLinesAreDeadLettersWithTheirLineAndTheRestLands() async throws {
        let lines = [
            Self.entity("e1"),
            Self.document("a"), Self.mention("a", "e1", 3),
            "{not json",
            Self.mention("a", "nope", 4),
            Self.document("b"), Self.mention("b", "e1", 0),
            Self.mention("ghost", "e1", 0),
        ]
        let (summary, registry, graph) = try await Self.run(lines)
        #expect(summary.loaded == 2)
        #expect(summary.deadLetters == 3)
        let letters = registry.state.withLock { $0.deadLetters }.map(\.source)
        #expect(letters == ["in.jsonl:4", "in.jsonl:5", "in.jsonl:8"])
        #expect(graph.state.withLock { $0.mentions.values.map(\.count).reduce(0, +) } == 2)
    }

    @Test func repeatedMentionLinesAddUpAndEarlierDocumentsInTheWindowStillTakeLines() async throws {
        let lines = [
            Self.entity("e1"), Self.entity("e2"),
            Self.document("a"), Self.mention("a", "e1", 10),
            Self.document("b"), Self.mention("b", "e1", 1), Self.mention("b", "e2", 2),
            Self.mention("a", "e1", 20),  // an earlier document of the window
            Self.mention("b", "e1", 3),   // repeated, apart
        ]
        let (summary, registry, graph) = try await Self.run(lines, window: 5)
        #expect(summary.deadLetters == 0)
        let ids = registry.state.withLock { $0.documents.mapValues(\.id) }
        let mentions = graph.state.withLock { $0.mentions }
        let a = try #require(mentions[ids["a"]!])
        let b = try #require(mentions[ids["b"]!])
        #expect(a.map(\.count) == [2])
        #expect(a.first?.offsets == [10, 20])
        #expect(b.map(\.count).sorted() == [1, 2])
        #expect(b.first { $0.count == 2 }?.offsets == [1, 3])
    }

    @Test func aMentionAfterItsDocumentLeftTheWindowIsADeadLetter() async throws {
        let lines = [
            Self.entity("e1"),
            Self.document("a"), Self.document("b"), Self.document("c"),  // a and b leave at c
            Self.mention("a", "e1", 0),
        ]
        let (summary, registry, _) = try await Self.run(lines, window: 2)
        #expect(summary.loaded == 3)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(letters.map(\.source) == ["in.jsonl:5"])
        #expect(letters.first?.error.contains("after its document line") == true)
    }

    @Test func aDocumentTwiceIsCaughtInTheWindowAndAcrossWindows() async throws {
        let lines = [Self.document("a"), Self.document("a"), Self.document("b"), Self.document("c"), Self.document("a")]
        let (summary, registry, _) = try await Self.run(lines, window: 2)
        #expect(summary.loaded == 3)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(letters.map(\.source).sorted() == ["a", "in.jsonl:2"])
    }
}
