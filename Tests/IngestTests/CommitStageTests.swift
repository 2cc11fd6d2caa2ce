import Extraction
import GraphStore
@testable import Ingest
import Registry
import Synchronization
import Testing

/// Documents given as (source, [entity key]) pairs, numbered in the run's ledger.
struct ListProducer: DocumentProducer {
    var documents: [(source: String, keys: [String])]

    func produce(into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        for (source, keys) in documents {
            let mentions = keys.map { key in
                EntityMentionLoad(entity: context.ledger.number(key: key, name: key.uppercased(), type: "Thing"), count: 2, offsets: [0, 5])
            }
            await output.send([DocumentLoad(source: source, title: source, sha256: "sha-" + source, bytes: 10, mentions: mentions)])
        }
    }
}

/// The commit stage and the producers without any server: commit order, failure isolation,
/// dead letters as they happen, sources met twice, the interchange parser.
@Suite struct CommitStageTests {
    static func pipeline(_ registry: InMemoryRegistry, _ graph: InMemoryGraph, documentsPerCommit: Int = 3, writers: Int = 1) -> Pipeline {
        Pipeline(registry: registry, graph: graph, runID: 7, fingerprint: "f",
                 configuration: PipelineConfiguration(extractionWorkers: 1, writers: writers, documentsPerCommit: documentsPerCommit),
                 cooccurrenceThreshold: PipelineConfiguration.defaultMinimumCooccurrence, label: "test", progress: ProgressReporter(label: "test", enabled: false))
    }

    @Test func everyDocumentLandsWithItsMentionsAndTheRegistryRecordsItLast() async throws {
        let log = CallLog()
        let registry = InMemoryRegistry(log: log), graph = InMemoryGraph(log: log)
        let documents = (0..<7).map { (source: "d\($0)", keys: ["k\($0 % 3)", "k9"]) }
        let summary = try await Self.pipeline(registry, graph).run(ListProducer(documents: documents))
        #expect(summary.loaded == 7)
        #expect(summary.relationships == 14)
        #expect(summary.mentions == 28)
        #expect(summary.entities == 4)
        #expect(summary.deadLetters == 0)
        #expect(summary.runID == 7)
        let graphState = graph.state.withLock { $0 }
        #expect(graphState.documents.count == 7)
        #expect(graphState.entities.count == 4)
        #expect(graphState.mentions.values.map(\.count).reduce(0, +) == 14)
        // Three batches (3, 3, 1 documents), one writer; in each: ids, then the graph, then the
        // record. Later batches have no new entities, so nothing to register or write for them.
        let calls = log.calls.withLock { $0 }
        #expect(calls.filter { $0 == "markLoaded" }.count == 3)
        #expect(Array(calls.prefix(8)) == ["registerDocuments", "registerEntities", "writeDocuments", "writeEntities",
                                           "replaceRelationships", "replaceMentionAndChunkSnapshots",
                                           "replacePairSnapshots", "markLoaded"])
        let lastBatch = Array(calls.suffix(from: try #require(calls.lastIndex(of: "registerDocuments"))))
        #expect(lastBatch == ["registerDocuments", "writeDocuments", "writeEntities", "replaceRelationships",
                              "replaceMentionAndChunkSnapshots", "replacePairSnapshots", "markLoaded"])
        let states = registry.state.withLock { $0.documents }
        #expect(states.values.allSatisfy { $0.status == "loaded" && $0.version == 1 && $0.loadedRun == 7 })
    }

    @Test func theSummaryTimesEachCommitStepAndTheStepsAddUpToTheCommits() async throws {
        let registry = InMemoryRegistry(), graph = InMemoryGraph(relationshipDelay: .milliseconds(40))
        let documents = (0..<9).map { (source: "d\($0)", keys: ["k\($0 % 4)"]) }
        let summary = try await Self.pipeline(registry, graph, documentsPerCommit: 3).run(ListProducer(documents: documents))
        #expect(summary.loaded == 9)
        let steps = BatchCommitter.CommitStep.allCases.map { summary.stageSeconds[$0.rawValue] }
        #expect(steps.allSatisfy { $0 != nil && $0! >= 0 }, "every step is in stage_seconds: \(summary.stageSeconds)")
        // Three batches held the graph-write lock for at least 40 ms each.
        let held = try #require(summary.stageSeconds[BatchCommitter.CommitStep.graphLockHeld.rawValue])
        #expect(held >= 0.12)
        let commit = try #require(summary.stageSeconds["commit"])
        let total = steps.compactMap { $0 }.reduce(0, +)
        #expect(total <= commit + 0.001 && total >= held, "steps \(total) s within the commits' \(commit) s")
    }

    @Test func refusedRowsFailOnlyTheirDocumentsAndTheRestLands() async throws {
        let registry = InMemoryRegistry()
        let graph = InMemoryGraph(refusedSources: ["d2"], refusedKeys: ["bad"])
        let documents = [
            (source: "d0", keys: ["a"]), (source: "d1", keys: ["a", "bad"]), (source: "d2", keys: ["b"]),
            (source: "d3", keys: ["b"]), (source: "d4", keys: []), (source: "d5", keys: ["bad"]),
        ]
        let summary = try await Self.pipeline(registry, graph, documentsPerCommit: 6).run(ListProducer(documents: documents))
        #expect(summary.loaded == 3)
        #expect(summary.deadLetters == 3)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(Set(letters.map(\.source)) == ["d1", "d2", "d5"])
        #expect(letters.allSatisfy { $0.runID == 7 && $0.stage == .load })
        #expect(letters.first { $0.source == "d2" }?.error.contains("document d2 rejected by the graph") == true)
        #expect(letters.first { $0.source == "d1" }?.error.contains("entity bad rejected by the graph") == true)
        let documentsState = registry.state.withLock { $0.documents }
        #expect(documentsState["d1"]?.status == "failed")
        #expect(documentsState["d2"]?.status == "failed")
        #expect(documentsState["d4"]?.status == "loaded")
        // Failed documents leave no MENTIONS; the empty document still gets its (empty) snapshot.
        let mentions = graph.state.withLock { $0.mentions }
        #expect(mentions[documentsState["d1"]!.id] == nil)
        #expect(mentions[documentsState["d4"]!.id] == [])
        #expect(registry.state.withLock { $0.snapshots[documentsState["d4"]!.id] } == [])
    }

    @Test func deadLettersAreRecordedAsEachBatchCommitsNotAtTheEnd() async throws {
        let registry = InMemoryRegistry()
        let graph = InMemoryGraph(refusedSources: ["d0", "d3"])
        let documents = (0..<6).map { (source: "d\($0)", keys: ["k"]) }
        _ = try await Self.pipeline(registry, graph, documentsPerCommit: 3).run(ListProducer(documents: documents))
        let calls = registry.state.withLock { $0.calls }
        let firstLetters = try #require(calls.firstIndex(of: "addDeadLetters"))
        let secondBatch = try #require(calls.indices.filter { calls[$0] == "registerDocuments" }.dropFirst().first)
        #expect(firstLetters < secondBatch)
        #expect(calls.filter { $0 == "addDeadLetters" }.count == 2)
    }

    @Test func aSourceMetTwiceInOneRunLandsOnceAndTheSecondIsADeadLetter() async throws {
        let registry = InMemoryRegistry(), graph = InMemoryGraph()
        // Twice in one batch, and again in a later batch (found through the registry's record of
        // the run that loaded it).
        let documents = [(source: "a", keys: ["x"]), (source: "a", keys: ["y"]), (source: "b", keys: []),
                         (source: "c", keys: []), (source: "a", keys: ["z"])]
        let summary = try await Self.pipeline(registry, graph, documentsPerCommit: 3).run(ListProducer(documents: documents))
        #expect(summary.loaded == 3)
        #expect(summary.deadLetters == 2)
        let letters = registry.state.withLock { $0.deadLetters }
        #expect(letters.map(\.source) == ["a", "a"])
        #expect(letters.allSatisfy { $0.error.contains("appears twice") })
        let a = try #require(registry.state.withLock { $0.documents["a"] })
        #expect(a.status == "loaded")
        let mentions = graph.state.withLock { $0.mentions[a.id] }
        #expect(mentions?.count == 1)
        let entityX = registry.state.withLock { $0.entities["x"] }
        #expect(mentions?.first?.entityID == entityX)
    }

    @Test func aServerLostMidRunStopsTheRunAndMarksNothingLoaded() async throws {
        struct Lost: Error {}
        let registry = InMemoryRegistry(), graph = InMemoryGraph(failure: Lost())
        await #expect(throws: Lost.self) {
            _ = try await Self.pipeline(registry, graph, writers: 2).run(ListProducer(documents: (0..<20).map { (source: "d\($0)", keys: ["k"]) }))
        }
        #expect(registry.state.withLock { $0.calls.contains("markLoaded") } == false)
    }

    @Test func aRerunOfTheSameDocumentsGivesTheSameGraph() async throws {
        let registry = InMemoryRegistry(), graph = InMemoryGraph()
        let documents = (0..<5).map { (source: "d\($0)", keys: ["k\($0)", "shared"]) }
        _ = try await Self.pipeline(registry, graph).run(ListProducer(documents: documents))
        let first = graph.state.withLock { ($0.documents.count, $0.entities, $0.mentions) }
        // Another run (another id): not a repeat, a reload with the version raised.
        let again = Pipeline(registry: registry, graph: graph, runID: 8, fingerprint: "f",
                             configuration: PipelineConfiguration(extractionWorkers: 1, writers: 2, documentsPerCommit: 2),
                             cooccurrenceThreshold: PipelineConfiguration.defaultMinimumCooccurrence, label: "test", progress: ProgressReporter(label: "test", enabled: false))
        let summary = try await again.run(ListProducer(documents: documents))
        #expect(summary.loaded == 5)
        #expect(summary.deadLetters == 0)
        let second = graph.state.withLock { ($0.documents.count, $0.entities, $0.mentions) }
        #expect(first.0 == second.0)
        #expect(first.1 == second.1)
        #expect(first.2 == second.2)
        #expect(registry.state.withLock { $0.documents.values.allSatisfy { $0.version == 2 } })
    }
}
