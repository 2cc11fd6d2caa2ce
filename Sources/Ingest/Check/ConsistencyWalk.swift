import GraphStore
import Registry

/// One pass of `check` over its ranges (``CheckRanges``): what has no id to range by, each range
/// of entity ids, the relations of each, then each range of document ids. Each slice is read
/// from both sides, compared, and with a repair summary repaired before the next is read, so the
/// pass holds one slice at a time.
///
/// Entities come before documents, so a document's MENTIONS are written after the entities
/// they need; an entity a loaded document names is never deleted as an orphan, since the range
/// of that document writes its MENTIONS again. Edges are marked pending here and written by the
/// sync that follows the pass.
struct ConsistencyWalk {
    let sampleSize: Int
    let ranges: CheckRanges
    /// What the repair did so far; nil for a check that only reports.
    var repair: ConsistencyRepairSummary?
    private var builder: ConsistencyReportBuilder
    /// Set when the repair must create the uniqueness constraints, once the ranges collapsed
    /// their duplicate nodes (a constraint over duplicates fails).
    private var constraintsToCreate: GraphDialect?

    init(sampleSize: Int, ranges: CheckRanges, repair: ConsistencyRepairSummary?) {
        self.sampleSize = sampleSize
        self.ranges = ranges
        self.repair = repair
        builder = ConsistencyReportBuilder(sampleSize: sampleSize)
    }

    /// The report of every slice compared (before its repair).
    var report: ConsistencyReport { builder.report }

    mutating func run(on servers: GraphIngestServers) async throws {
        let reader = servers.database.reader
        let bounds = try await servers.registry.idBounds()
        let unattached = UnattachedChunks(try await reader.chunksWithoutDocument())
        if ranges.takesUnrangedClasses {
            try await unranged(servers, unattachedChunkIDs: unattached.unnamed)
        }
        let entityRanges = ranges.ranges(over: bounds.entities)
        for range in entityRanges {
            try await entities(range, servers)
        }
        let threshold = try await CooccurrenceSync.threshold(asked: nil, registry: servers.registry)
        for range in entityRanges {
            let relations = try await RelationComparison.read(entities: range, threshold: threshold, registry: servers.registry, reader: reader)
            builder.add(ConsistencyReport(findings: relations.findings(sampleSize: sampleSize)))
            if var summary = repair {
                try await servers.applyRelationLayer(relations, to: &summary)
                repair = summary
            }
        }
        for range in ranges.ranges(over: bounds.documents) {
            try await documents(range, servers, unattachedChunkIDs: unattached.ids(in: range))
        }
        if let dialect = constraintsToCreate, var summary = repair {
            try await servers.graph.createConstraints(dialect: dialect)
            summary.constraintsCreated = true
            repair = summary
        }
    }

    /// Dangling MENTIONS, constraints, chunks without a document whose id names none, and the
    /// registry's pair totals against the documents' pair counts.
    private mutating func unranged(_ servers: GraphIngestServers, unattachedChunkIDs: [String]) async throws {
        let dialect = try await servers.dialect().0
        let graph = try await GraphSnapshot.readUnranged(from: servers.database.reader, dialect: dialect, unattachedChunkIDs: unattachedChunkIDs)
        let registry = RegistrySnapshot()
        var relations = RelationComparison()
        relations.driftedTotals = try await servers.registry.driftedPairTotals().map(\.pair).sorted()
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        builder.add(ConsistencyReport(findings: relations.findings(sampleSize: sampleSize)))
        guard var summary = repair else { return }
        let structural = ConsistencyRepairPlan.structural(graph: graph)
        if structural.deleteDanglingMentions {
            summary.danglingMentionsDeleted += try await servers.graph.deleteDanglingMentions()
        }
        constraintsToCreate = structural.createConstraints ? dialect : nil
        try await servers.applyChunkLayer(ConsistencyRepairPlan.make(graph: graph, registry: registry), to: &summary)
        if !relations.driftedTotals.isEmpty {
            try await servers.registry.recomputePairTotals(relations.driftedTotals)
            summary.pairTotalsRecomputed += relations.driftedTotals.count
        }
        repair = summary
    }

    private mutating func entities(_ range: IDRange, _ servers: GraphIngestServers) async throws {
        let reader = servers.database.reader
        async let graphSide = GraphSnapshot.read(entities: range, from: reader)
        async let registrySide = RegistrySnapshot.read(entities: range, from: servers.registry)
        var graph = try await graphSide
        let registry = try await registrySide
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        guard var summary = repair else { return }
        let duplicates = ConsistencyRepairPlan.structural(graph: graph).duplicateEntityIDs
        if !duplicates.isEmpty {
            summary.duplicateNodesDeleted += try await servers.graph.collapseDuplicateEntities(duplicates)
            graph = try await GraphSnapshot.read(entities: range, from: reader)
        }
        try await servers.apply(ConsistencyRepairPlan.make(graph: graph, registry: registry), to: &summary)
        repair = summary
    }

    private mutating func documents(_ range: IDRange, _ servers: GraphIngestServers, unattachedChunkIDs: [String]) async throws {
        let reader = servers.database.reader
        async let graphSide = GraphSnapshot.read(documents: range, from: reader, unattachedChunkIDs: unattachedChunkIDs)
        async let registrySide = RegistrySnapshot.read(documents: range, from: servers.registry)
        var graph = try await graphSide
        let registry = try await registrySide
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        guard var summary = repair else { return }
        let duplicates = ConsistencyRepairPlan.structural(graph: graph).duplicateDocumentIDs
        if !duplicates.isEmpty {
            summary.duplicateNodesDeleted += try await servers.graph.collapseDuplicateDocuments(duplicates)
            graph = try await GraphSnapshot.read(documents: range, from: reader, unattachedChunkIDs: unattachedChunkIDs)
        }
        let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry)
        try await servers.apply(plan, to: &summary)
        try await servers.applyChunkLayer(plan, to: &summary)
        if !plan.documentsToReextract.isEmpty {
            summary.documentsQueuedForReextraction += try await servers.registry.markForReextraction(
                plan.documentsToReextract, reason: GraphIngestServers.reextractionReason).count
        }
        repair = summary
    }
}
