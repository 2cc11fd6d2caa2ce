import GraphStore
import Ingest
import Testing

@Suite struct ChunkLayerComparisonTests {
    /// ConsistencyComparisonTests' pair, with document 1 cut into three chunks (entity 10's two
    /// mentions in chunks 0 and 2) on both sides.
    static func consistentPair() -> (GraphSnapshot, RegistrySnapshot) {
        var (graph, registry) = ConsistencyComparisonTests.consistentPair()
        var nodes: [GraphChunkNode] = []
        for index in Int64(0)...2 {
            let facts = ChunkFacts(index: index, start: index * 10, end: index * 10 + 10, sha256: "h\(index)")
            registry.chunks[ChunkKey(documentID: 1, index: index)] = facts
            registry.chunkIndexes[1, default: []].append(index)
            nodes.append(GraphChunkNode(id: "1:\(index)", index: index, start: facts.start, end: facts.end, sha256: facts.sha256, documentID: 1))
        }
        graph.addChunkLayer(
            chunks: nodes, nextChunks: [GraphChunkLink(from: "1:0", to: "1:1"), GraphChunkLink(from: "1:1", to: "1:2")],
            chunkMentions: [GraphChunkMentionEdge(entityID: 10, chunkID: "1:0", count: 1), GraphChunkMentionEdge(entityID: 10, chunkID: "1:2", count: 1)])
        return (graph, registry)
    }

    static func failing(_ graph: GraphSnapshot, _ registry: RegistrySnapshot) -> [ConsistencyCheck: [String]] {
        ConsistencyComparisonTests.onlyFinding(ConsistencyComparison.compare(graph: graph, registry: registry))
    }

    @Test func matchingChunkLayersAreConsistent() {
        let (graph, registry) = Self.consistentPair()
        #expect(Self.failing(graph, registry).isEmpty)
        #expect(ConsistencyRepairPlan.make(graph: graph, registry: registry).isEmpty)
    }

    @Test func chunkIDsAreReadStrictly() {
        #expect(ChunkKey(chunkID: "12:3") == ChunkKey(documentID: 12, index: 3))
        #expect(ChunkKey(chunkID: "12:3").map(\.description) == "12:3")
        for bad in ["ghost", "12", "12:", ":3", "12:-1", "a:3", "12:3:4"] {
            #expect(ChunkKey(chunkID: bad) == nil, "\(bad)")
        }
    }

    @Test func missingChunkIsReportedOnceAndQueuesItsDocument() {
        var (graph, registry) = Self.consistentPair()
        graph.chunks[ChunkKey(documentID: 1, index: 1)] = nil
        graph.nextChunks = []
        #expect(Self.failing(graph, registry) == [.missingChunks: ["1:1"]])
        let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
        #expect(plan.documentsToReextract == [1])
        #expect(plan.chunkChainsToRebuild.isEmpty)
        registry.awaitingReextractionIDs = [1]
        #expect(Self.failing(graph, registry)[.awaitingReextraction] == ["1"])
    }

    @Test func extraAndDetachedChunksAreDeletedInPlace() {
        var (graph, registry) = Self.consistentPair()
        graph.addChunkLayer(
            chunks: [GraphChunkNode(id: "1:9", index: 9, start: 0, end: 1, sha256: "x", documentID: 1),
                     GraphChunkNode(id: "ghost", index: 0, start: 0, end: 1, sha256: "x", documentID: nil),
                     GraphChunkNode(id: "1:0", index: 0, start: 0, end: 10, sha256: "h0", documentID: nil)],
            nextChunks: graph.nextChunks, chunkMentions: graph.chunkMentions)
        #expect(Self.failing(graph, registry) == [.extraChunks: ["1:0", "1:9", "ghost"]])
        let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
        #expect(plan.chunksToDelete == [
            ChunkLayerComparison.ExtraChunk(chunkID: "1:0", keptDocumentID: 1),
            ChunkLayerComparison.ExtraChunk(chunkID: "1:9", keptDocumentID: nil),
            ChunkLayerComparison.ExtraChunk(chunkID: "ghost", keptDocumentID: nil),
        ])
        // "1:0" also hangs from its document: the registry's chunk is kept, and a document that
        // may lose it is re-extracted.
        #expect(plan.documentsToReextract == [1])
        registry.loadedDocuments[2] = nil  // a pending document's chunks are not looked at
        graph.addChunkLayer(chunks: [GraphChunkNode(id: "2:0", index: 0, start: 0, end: 1, sha256: "x", documentID: 2)],
                            nextChunks: graph.nextChunks, chunkMentions: graph.chunkMentions)
        #expect(Self.failing(graph, registry)[.extraChunks] == ["1:0", "1:9", "ghost"])
    }

    @Test func driftAndDuplicatesQueueTheDocument() {
        var (graph, registry) = Self.consistentPair()
        graph.chunks[ChunkKey(documentID: 1, index: 2)]?.index = 7
        #expect(Self.failing(graph, registry) == [.chunkDrift: ["1:2"]])
        (graph, registry) = Self.consistentPair()
        graph.duplicateChunkKeys = [ChunkKey(documentID: 1, index: 0)]
        #expect(Self.failing(graph, registry) == [.chunkDrift: ["1:0"]])
        #expect(ConsistencyRepairPlan.make(graph: graph, registry: registry).documentsToReextract == [1])
    }

    @Test func brokenChainsAreRebuiltFromTheRegistryIndexes() {
        for links in [[GraphChunkLink(from: "1:0", to: "1:1")],
                      [GraphChunkLink(from: "1:0", to: "1:1"), GraphChunkLink(from: "1:1", to: "1:2"), GraphChunkLink(from: "1:0", to: "1:2")],
                      [GraphChunkLink(from: "1:0", to: "1:1"), GraphChunkLink(from: "1:2", to: "1:1")],
                      [GraphChunkLink(from: "1:0", to: "1:1"), GraphChunkLink(from: "1:1", to: "1:2"), GraphChunkLink(from: "1:1", to: "1:2")]] {
            var (graph, registry) = Self.consistentPair()
            graph.nextChunks = links
            #expect(Self.failing(graph, registry) == [.brokenChunkChains: ["1"]], "\(links)")
            let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
            #expect(plan.chunkChainsToRebuild == [1: [0, 1, 2]])
            #expect(plan.documentsToReextract.isEmpty)
        }
        // A link into another document's chunk breaks both chains.
        var (graph, registry) = Self.consistentPair()
        graph.nextChunks.append(GraphChunkLink(from: "2:0", to: "1:0"))
        #expect(Self.failing(graph, registry) == [.brokenChunkChains: ["1", "2"]])
    }

    @Test func strayFromChunkAndCountMismatches() {
        var (graph, registry) = Self.consistentPair()
        graph.chunkMentions.append(GraphChunkMentionEdge(entityID: 11, chunkID: "1:1", count: 1))
        #expect(Self.failing(graph, registry) == [.strayChunkMentions: ["11->1:1"]])
        #expect(ConsistencyRepairPlan.make(graph: graph, registry: registry).chunkMentionsToDelete == [ChunkMentionPair(entityID: 11, chunkID: "1:1")])

        (graph, registry) = Self.consistentPair()
        graph.chunkMentions[0].count = 5
        #expect(Self.failing(graph, registry) == [.chunkMentionCountMismatches: ["1"]])
        #expect(ConsistencyRepairPlan.make(graph: graph, registry: registry).documentsToReextract == [1])

        // Documents without chunks (--no-chunks) are not counted.
        (graph, registry) = Self.consistentPair()
        registry.mentions[MentionPair(documentID: 2, entityID: 10)] = 7
        graph.mentions[MentionPair(documentID: 2, entityID: 10)] = 7
        #expect(Self.failing(graph, registry).isEmpty)
    }

    @Test func missingChunkConstraintIsCreated() {
        var (graph, registry) = Self.consistentPair()
        graph.hasChunkConstraint = false
        #expect(Self.failing(graph, registry) == [.missingConstraints: ["Chunk.id"]])
        #expect(ConsistencyRepairPlan.structural(graph: graph).createConstraints)
    }
}
