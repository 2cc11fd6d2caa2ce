import Ingest
import Testing

@Suite struct ConsistencyComparisonTests {
    /// A registry of three loaded documents mentioning two entities, and the graph that matches it.
    static func consistentPair() -> (GraphSnapshot, RegistrySnapshot) {
        var registry = RegistrySnapshot()
        var graph = GraphSnapshot()
        for id in Int64(1)...3 {
            let facts = DocumentFacts(source: "doc\(id).txt", sha256: "sha\(id)")
            registry.loadedDocuments[id] = facts
            registry.knownDocumentIDs.insert(id)
            graph.documents[id] = facts
        }
        for id in Int64(10)...11 {
            let facts = EntityFacts(key: "k\(id)", name: "Name \(id)", type: "City")
            registry.entities[id] = facts
            graph.entities[id] = facts
        }
        for (d, e, c) in [(Int64(1), Int64(10), Int64(2)), (2, 10, 1), (3, 11, 4)] {
            registry.mentions[MentionPair(documentID: d, entityID: e)] = c
            graph.mentions[MentionPair(documentID: d, entityID: e)] = c
        }
        return (graph, registry)
    }

    static func onlyFinding(_ report: ConsistencyReport) -> [ConsistencyCheck: [String]] {
        Dictionary(uniqueKeysWithValues: report.findings.filter { $0.count > 0 }.map { ($0.check, $0.samples) })
    }

    @Test func matchingSidesAreConsistent() {
        let (graph, registry) = Self.consistentPair()
        let report = ConsistencyComparison.compare(graph: graph, registry: registry)
        #expect(report.isConsistent)
        // The relation classes come from their own comparison (RelationComparisonTests).
        #expect(report.findings.count == ConsistencyCheck.allCases.count - RelationComparison().findings(sampleSize: 1).count)
    }

    @Test func missingDocumentIsReportedOnce() {
        var (graph, registry) = Self.consistentPair()
        graph.documents[2] = nil
        graph.mentions[MentionPair(documentID: 2, entityID: 10)] = nil
        #expect(Self.onlyFinding(ConsistencyComparison.compare(graph: graph, registry: registry)) == [.missingDocuments: ["2"]])
    }

    @Test func unknownAndTombstonedDocuments() {
        var (graph, registry) = Self.consistentPair()
        graph.documents[99] = DocumentFacts(source: "x", sha256: "y")
        registry.loadedDocuments[3] = nil
        registry.deletedDocumentIDs.insert(3)
        registry.mentions[MentionPair(documentID: 3, entityID: 11)] = nil
        let findings = Self.onlyFinding(ConsistencyComparison.compare(graph: graph, registry: registry))
        #expect(findings == [.unknownDocuments: ["99"], .deletedDocumentsInGraph: ["3"]])
    }

    @Test func changedCountExtraAndMissingMentions() {
        var (graph, registry) = Self.consistentPair()
        graph.mentions[MentionPair(documentID: 1, entityID: 10)] = 5
        graph.mentions[MentionPair(documentID: 2, entityID: 11)] = 1
        registry.mentions[MentionPair(documentID: 3, entityID: 10)] = 1
        let findings = Self.onlyFinding(ConsistencyComparison.compare(graph: graph, registry: registry))
        #expect(findings == [.mentionMismatches: ["1", "2", "3"]])
    }

    @Test func entityClassesAndDrift() {
        var (graph, registry) = Self.consistentPair()
        graph.entities[50] = EntityFacts(key: "stray", name: "Stray", type: "X")
        graph.orphanEntityIDs = [50]
        graph.entities[11]?.name = "Renamed"
        graph.documents[1]?.sha256 = "other"
        graph.duplicateEntityIDs[10] = 2
        graph.duplicateDocumentIDs[2] = 3
        graph.danglingMentions = ["#5:1"]
        graph.hasEntityConstraint = false
        registry.expiredLeaseDocumentIDs = [7]
        let findings = Self.onlyFinding(ConsistencyComparison.compare(graph: graph, registry: registry))
        #expect(findings == [
            .entitiesNotInRegistry: ["50"], .orphanEntities: ["50"], .entityPropertyDrift: ["11"],
            .documentPropertyDrift: ["1"], .duplicateEntityIDs: ["10"], .duplicateDocumentIDs: ["2"],
            .danglingMentions: ["#5:1"], .missingConstraints: ["Entity.id"], .expiredLeases: ["7"],
        ])
    }

    @Test func missingEntityNeededBySnapshot() {
        var (graph, registry) = Self.consistentPair()
        graph.entities[11] = nil
        graph.mentions[MentionPair(documentID: 3, entityID: 11)] = nil
        let findings = Self.onlyFinding(ConsistencyComparison.compare(graph: graph, registry: registry))
        #expect(findings == [.missingEntities: ["11"], .mentionMismatches: ["3"]])
    }

    @Test func samplesAreCappedButCountIsFull() {
        var (graph, registry) = Self.consistentPair()
        for id in Int64(100)..<150 { graph.documents[id] = DocumentFacts(source: "s", sha256: "h") }
        let finding = ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: 5)[.unknownDocuments]
        #expect(finding.count == 50)
        #expect(finding.samples == ["100", "101", "102", "103", "104"])
    }
}
