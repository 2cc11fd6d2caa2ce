import GraphStore
import Ingest
import Registry
import Testing

@Suite struct ConsistencyRepairPlanTests {
    static func pair(_ document: Int64, _ entity: Int64) -> MentionPair { MentionPair(documentID: document, entityID: entity) }

    @Test func consistentSidesNeedNothing() {
        let (graph, registry) = ConsistencyComparisonTests.consistentPair()
        #expect(ConsistencyRepairPlan.make(graph: graph, registry: registry).isEmpty)
        #expect(ConsistencyRepairPlan.structural(graph: graph).isEmpty)
    }

    @Test func missingAndDriftedDocumentsAreWrittenWithTheirMentions() {
        var (graph, registry) = ConsistencyComparisonTests.consistentPair()
        graph.documents[2] = nil
        graph.mentions[Self.pair(2, 10)] = nil
        graph.documents[3]?.sha256 = "other"
        let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
        #expect(plan.documentsToWrite == [2, 3])
        #expect(plan.mentionsToWrite == [Self.pair(2, 10): 1])
        #expect(plan.documentsToDelete.isEmpty && plan.mentionsToDelete.isEmpty && plan.entitiesToWrite.isEmpty)
    }

    @Test func unknownAndTombstonedDocumentsAreDeletedAndTheirEntitiesSwept() {
        var (graph, registry) = ConsistencyComparisonTests.consistentPair()
        graph.documents[99] = DocumentFacts(source: "ghost", sha256: "x")
        graph.mentions[Self.pair(99, 11)] = 1
        registry.loadedDocuments[3] = nil
        registry.deletedDocumentIDs.insert(3)
        registry.mentions[Self.pair(3, 11)] = nil
        let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
        #expect(plan.documentsToDelete == [3, 99])
        #expect(plan.orphanCandidates == [11])
        #expect(plan.mentionsToDelete.isEmpty && plan.mentionsToWrite.isEmpty)
    }

    @Test func mentionsAreDiffedPairByPair() {
        var (graph, registry) = ConsistencyComparisonTests.consistentPair()
        graph.mentions[Self.pair(1, 10)] = 5          // other count
        graph.mentions[Self.pair(2, 11)] = 1          // not in the snapshot
        registry.mentions[Self.pair(3, 10)] = 1       // missing from the graph
        graph.parallelMentions.insert(Self.pair(3, 11))
        let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
        #expect(plan.mentionsToDelete == [Self.pair(2, 11), Self.pair(3, 11)])
        #expect(plan.mentionsToWrite == [Self.pair(1, 10): 2, Self.pair(3, 10): 1, Self.pair(3, 11): 4])
        // 11 loses a MENTIONS, but document 3 names it: it is no orphan candidate.
        #expect(plan.orphanCandidates == [])
    }

    @Test func entityClasses() {
        var (graph, registry) = ConsistencyComparisonTests.consistentPair()
        graph.entities[50] = EntityFacts(key: "stray", name: "Stray", type: "X")
        graph.mentions[Self.pair(1, 50)] = 1
        graph.entities[11] = nil
        graph.mentions[Self.pair(3, 11)] = nil
        graph.entities[10]?.type = "Country"
        registry.entities[60] = EntityFacts(key: "unused", name: "Unused", type: "X")
        graph.entities[60] = registry.entities[60]
        graph.orphanEntityIDs = [60]
        let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
        #expect(plan.entitiesToDelete == [50])
        #expect(plan.entitiesToWrite == [10, 11])
        #expect(plan.mentionsToWrite == [Self.pair(3, 11): 4])
        // The stray entity's MENTIONS go with it; the unused one is swept if still unmentioned.
        #expect(plan.mentionsToDelete.isEmpty)
        #expect(plan.orphanCandidates == [60])
    }

    @Test func structuralPass() {
        var (graph, _) = ConsistencyComparisonTests.consistentPair()
        graph.danglingMentions = ["#9:1"]
        graph.duplicateDocumentIDs = [2: 2]
        graph.duplicateEntityIDs = [10: 3, 11: 2]
        graph.hasDocumentConstraint = false
        let plan = ConsistencyRepairPlan.structural(graph: graph)
        #expect(plan.deleteDanglingMentions && plan.createConstraints)
        #expect(plan.duplicateDocumentIDs == [2] && plan.duplicateEntityIDs == [10, 11])
    }

    @Test func snapshotFoldsDuplicatesParallelMentionsOrphansAndConstraints() {
        let graph = GraphSnapshot(
            documents: [
                GraphDocumentNode(id: 1, source: "a", sha256: "h"), GraphDocumentNode(id: 1, source: "a", sha256: "h"),
                GraphDocumentNode(id: 2, source: "b", sha256: nil), GraphDocumentNode(id: nil, source: "x", sha256: "y"),
            ],
            entities: [
                GraphEntityNode(id: 10, key: "k", name: "K", type: "T", isMentioned: true),
                GraphEntityNode(id: 10, key: "k", name: "K", type: "T", isMentioned: false),
                GraphEntityNode(id: 11, key: "l", name: "L", type: "T", isMentioned: false),
            ],
            mentions: [
                GraphMentionEdge(documentID: 1, entityID: 10, count: 2), GraphMentionEdge(documentID: 1, entityID: 10, count: 2),
                GraphMentionEdge(documentID: 2, entityID: 10, count: nil),
            ],
            danglingMentions: ["#9:0"],
            constraints: [GraphConstraint(name: "c", type: "UNIQUENESS", labels: ["Document"], properties: ["id"])])
        #expect(graph.documents == [1: DocumentFacts(source: "a", sha256: "h"), 2: DocumentFacts(source: "b", sha256: "")])
        #expect(graph.duplicateDocumentIDs == [1: 2])
        #expect(graph.duplicateEntityIDs == [10: 2])
        #expect(graph.orphanEntityIDs == [11])
        #expect(graph.parallelMentions == [Self.pair(1, 10)])
        #expect(graph.mentions[Self.pair(2, 10)] == -1)
        #expect(graph.hasDocumentConstraint && !graph.hasEntityConstraint)
    }
}
