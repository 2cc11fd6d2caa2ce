/// Compares what the graph holds with what the registry says it should hold.
///
/// Pure and in memory: it compares what both sides hold for one slice of the ids (a range of
/// document ids, a range of entity ids, or what has no id to range by), so the comparison is a
/// handful of hash lookups per document and mention, and a slice's classes outside its kind
/// come out empty.
package enum ConsistencyComparison {
    /// Compares the two snapshots; each finding keeps at most `sampleSize` samples.
    package static func compare(graph: GraphSnapshot, registry: RegistrySnapshot, sampleSize: Int = 10) -> ConsistencyReport {
        var findings: [ConsistencyFinding] = []
        func add(_ check: ConsistencyCheck, _ ids: some Collection<Int64>) {
            let sorted = ids.sorted()
            findings.append(ConsistencyFinding(check: check, count: sorted.count, samples: sorted.prefix(sampleSize).map(String.init)))
        }

        add(.missingDocuments, registry.loadedDocuments.keys.filter { graph.documents[$0] == nil })
        add(.unknownDocuments, graph.documents.keys.filter { !registry.knownDocumentIDs.contains($0) })
        add(.deletedDocumentsInGraph, graph.documents.keys.filter { registry.deletedDocumentIDs.contains($0) })

        // MENTIONS are compared for documents both sides hold; a missing document is reported once.
        var mismatched = Set<Int64>()
        for (pair, count) in registry.mentions where graph.documents[pair.documentID] != nil {
            if graph.mentions[pair] != count { mismatched.insert(pair.documentID) }
        }
        for (pair, count) in graph.mentions where registry.loadedDocuments[pair.documentID] != nil {
            if registry.mentions[pair] != count { mismatched.insert(pair.documentID) }
        }
        for pair in graph.parallelMentions where registry.loadedDocuments[pair.documentID] != nil {
            mismatched.insert(pair.documentID)
        }
        add(.mentionMismatches, mismatched)

        add(.entitiesNotInRegistry, graph.entities.keys.filter { registry.entities[$0] == nil })
        add(.missingEntities, registry.neededEntityIDs.filter { graph.entities[$0] == nil })
        add(.orphanEntities, graph.orphanEntityIDs)
        add(.duplicateDocumentIDs, graph.duplicateDocumentIDs.keys)
        add(.duplicateEntityIDs, graph.duplicateEntityIDs.keys)

        let dangling = graph.danglingMentions.sorted()
        findings.append(ConsistencyFinding(check: .danglingMentions, count: dangling.count, samples: Array(dangling.prefix(sampleSize))))

        add(.documentPropertyDrift, graph.documents.compactMap { id, facts in
            registry.loadedDocuments[id].flatMap { $0 == facts ? nil : id }
        })
        add(.entityPropertyDrift, graph.entities.compactMap { id, facts in
            registry.entities[id].flatMap { $0 == facts ? nil : id }
        })

        let chunks = ChunkLayerComparison(graph: graph, registry: registry)
        func addNamed(_ check: ConsistencyCheck, _ names: [String]) {
            findings.append(ConsistencyFinding(check: check, count: names.count, samples: Array(names.prefix(sampleSize))))
        }
        addNamed(.missingChunks, chunks.missingChunks.map(\.description))
        addNamed(.extraChunks, chunks.extraChunks.map(\.chunkID))
        addNamed(.chunkDrift, chunks.driftedChunks.map(\.description))
        add(.brokenChunkChains, chunks.brokenChains)
        addNamed(.strayChunkMentions, chunks.strayChunkMentions.map(\.description))
        add(.chunkMentionCountMismatches, chunks.countMismatches)

        var constraints: [String] = []
        if !graph.hasDocumentConstraint { constraints.append("Document.id") }
        if !graph.hasEntityConstraint { constraints.append("Entity.id") }
        if !graph.hasChunkConstraint { constraints.append("Chunk.id") }
        findings.append(ConsistencyFinding(check: .missingConstraints, count: constraints.count, samples: constraints))

        add(.expiredLeases, registry.expiredLeaseDocumentIDs)
        add(.awaitingReextraction, registry.awaitingReextractionIDs)
        return ConsistencyReport(findings: findings)
    }
}
