import Extraction
import Foundation
@testable import Ingest
import Registry
import Synchronization
import Testing

/// The corpus producer and the commit stage over the in-memory queue and graph, on the test
/// clock: every document is claimed once and loaded with the registration its claim returned,
/// one another worker holds is taken over when that worker's lease runs out, and a source the
/// corpus holds twice keeps its first document.
@Suite(.timeLimit(.minutes(1))) struct CorpusProducerQueueTests {
    /// A folder of text files, removed when the test ends.
    final class Corpus {
        let root: String

        init(_ files: [String: String]) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("producer-queue-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            for (name, text) in files {
                try Data(text.utf8).write(to: URL(fileURLWithPath: root + "/" + name))
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static func extractor() throws -> Extractor {
        try Extractor(gazetteer: Gazetteer(entries: [
            Gazetteer.Entry(id: "place:paris", name: "Paris", type: "Place"),
            Gazetteer.Entry(id: "place:rome", name: "Rome", type: "Place"),
        ]))
    }

    /// Runs an ingest's pipeline of `corpus` as worker `me`, advancing the clock a second
    /// whenever the worker sleeps.
    static func ingest(_ corpus: Corpus, registry: InMemoryRegistry, graph: InMemoryGraph, me: QueueWorker) async throws -> IngestSummary {
        let configuration = PipelineConfiguration(extractionWorkers: 2, writers: 1, documentsPerCommit: 2)
        let reader = CorpusReader(paths: [corpus.root])
        let (files, missing) = reader.files()
        let producer = CorpusProducer(reader: reader, extractor: try extractor(), files: files, missing: missing,
                                      configuration: configuration, worker: me)
        let pipeline = Pipeline(registry: registry, graph: graph, runID: 7, fingerprint: try extractor().fingerprint,
                                configuration: configuration, cooccurrenceThreshold: 2, label: "test",
                                progress: ProgressReporter(label: "test", enabled: false), worker: me)
        let clock = registry.clock
        let driver = Task {
            while !Task.isCancelled {
                try await clock.untilSomeoneSleeps()
                clock.advance(by: .seconds(1))
            }
        }
        defer { driver.cancel() }
        return try await pipeline.run(producer)
    }

    @Test func eachDocumentIsClaimedOnceLoadedWithItsClaimsRegistrationAndTakenOverFromAWorkerWhoseLeaseRanOut() async throws {
        let corpus = try Corpus(["a.txt": "Paris and Rome.", "b.txt": "Rome again.", "c.txt": "Paris.", "d.txt": "Nothing here.",
                                 "e.txt": "Rome, Paris, Rome."])
        let registry = InMemoryRegistry(), graph = InMemoryGraph()
        // Another worker holds c.txt under a 20 s lease, and then stops answering.
        let other = QueueWorker(queue: registry, lease: .seconds(20), waitsForOthers: true, id: "other", clock: registry.clock)
        _ = try await other.claim(["c.txt"], fingerprint: try Self.extractor().fingerprint)
        let me = QueueWorker(queue: registry, lease: .seconds(30), waitsForOthers: true, id: "me", clock: registry.clock)
        let summary = try await Self.ingest(corpus, registry: registry, graph: graph, me: me)
        #expect(summary.loaded == 5)
        #expect(summary.claimed == 5)
        #expect(summary.deadLetters == 0)
        #expect(registry.clock.elapsed >= .seconds(20))
        for source in ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"] {
            #expect(registry.document(source)?.status == "loaded", "\(source)")
            #expect(registry.document(source)?.holder == nil, "\(source)")
        }
        // The claims registered every document: the commit registered none again.
        let calls = registry.state.withLock { $0.calls }
        #expect(!calls.contains("registerDocuments"))
        #expect(graph.state.withLock { $0.documents.count } == 5)
        #expect(me.heldCount == 0)
    }

    @Test func aRerunSkipsWhatIsLoadedWithoutClaimingIt() async throws {
        let corpus = try Corpus(["a.txt": "Paris.", "b.txt": "Rome."])
        let registry = InMemoryRegistry(), graph = InMemoryGraph()
        let first = try await Self.ingest(corpus, registry: registry, graph: graph,
                                          me: QueueWorker(queue: registry, lease: .seconds(30), waitsForOthers: true, id: "one", clock: registry.clock))
        #expect(first.loaded == 2)
        let again = try await Self.ingest(corpus, registry: registry, graph: graph,
                                          me: QueueWorker(queue: registry, lease: .seconds(30), waitsForOthers: true, id: "two", clock: registry.clock))
        #expect(again.loaded == 0)
        #expect(again.unchanged == 2)
        #expect(again.claimed == 0)
    }
}
