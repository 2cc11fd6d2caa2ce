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
    /// The co-occurrence threshold the relations are compared at, resolved once by the job.
    let threshold: Int
    let registryStore: RegistryStore
    let database: GraphDatabase
    /// Carries out the repairs; nil for a check that only reports.
    let repairer: ConsistencyRepairer?
    /// What the repair did so far; nil for a check that only reports.
    var repair: ConsistencyRepairSummary?
    private var builder: ConsistencyReportBuilder
    /// Set when the repair must create the uniqueness constraints, once the ranges collapsed
    /// their duplicate nodes (a constraint over duplicates fails).
    private var constraintsToCreate: GraphDialect?

    init(sampleSize: Int, ranges: CheckRanges, threshold: Int, registry: RegistryStore, database: GraphDatabase,
         repairer: ConsistencyRepairer?) {
        self.sampleSize = sampleSize
        self.ranges = ranges
        self.threshold = threshold
        registryStore = registry
        self.database = database
        self.repairer = repairer
        repair = repairer.map { _ in ConsistencyRepairSummary() }
        builder = ConsistencyReportBuilder(sampleSize: sampleSize)
    }

    /// The report of every slice compared (before its repair).
    var report: ConsistencyReport { builder.report }

    mutating func run() async throws {
        let reader = database.reader
        let bounds = try await registryStore.idBounds()
        let unattached = UnattachedChunks(try await reader.chunksWithoutDocument())
        if ranges.takesUnrangedClasses {
            try await unranged(unattachedChunkIDs: unattached.unnamed)
        }
        let entityRanges = ranges.ranges(over: bounds.entities)
        for range in entityRanges {
            try await entities(range)
        }
        for range in entityRanges {
            let relations = try await RelationComparison.read(entities: range, threshold: threshold, registry: registryStore, reader: reader)
            builder.add(ConsistencyReport(findings: relations.findings(sampleSize: sampleSize)))
            if let repairer, let summary = repair {
                repair = try await repairer.lockingGraph(summary) { try await repairer.applyRelationLayer(relations, to: &$0) }
            }
        }
        for range in ranges.ranges(over: bounds.documents) {
            try await documents(range, unattachedChunkIDs: unattached.ids(in: range))
        }
        if let dialect = constraintsToCreate, let repairer, var summary = repair {
            try await repairer.createConstraints(dialect: dialect, to: &summary)
            repair = summary
        }
    }

    /// Dangling MENTIONS, constraints, chunks without a document whose id names none, and the
    /// registry's pair totals against the documents' pair counts.
    private mutating func unranged(unattachedChunkIDs: [String]) async throws {
        let dialect = try await database.dialect().0
        let graph = try await GraphSnapshot.readUnranged(from: database.reader, dialect: dialect, unattachedChunkIDs: unattachedChunkIDs)
        let registry = RegistrySnapshot()
        var relations = RelationComparison()
        relations.driftedTotals = try await registryStore.driftedPairTotals().map(\.pair).sorted()
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        builder.add(ConsistencyReport(findings: relations.findings(sampleSize: sampleSize)))
        guard let repairer, let repaired = repair else { return }
        let structural = ConsistencyRepairPlan.structural(graph: graph)
        constraintsToCreate = structural.createConstraints ? dialect : nil
        var summary = try await repairer.lockingGraph(repaired) { summary in
            if structural.deleteDanglingMentions {
                try await repairer.deleteDanglingMentions(to: &summary)
            }
            try await repairer.applyChunkLayer(ConsistencyRepairPlan.make(graph: graph, registry: registry), to: &summary)
        }
        try await repairer.recomputePairTotals(relations.driftedTotals, to: &summary)
        repair = summary
    }

    /// Reads the graph's side before the registry's: a worker registers what it writes before
    /// writing it, so what the graph holds is never missing from a later read of the registry.
    private mutating func entities(_ range: IDRange) async throws {
        let reader = database.reader
        var graph = try await GraphSnapshot.read(entities: range, from: reader)
        let registry = try await RegistrySnapshot.read(entities: range, from: registryStore)
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        guard let repairer, let summary = repair else { return }
        repair = try await repairer.lockingGraph(summary) { summary in
            let duplicates = ConsistencyRepairPlan.structural(graph: graph).duplicateEntityIDs
            if !duplicates.isEmpty {
                try await repairer.collapseDuplicateEntities(duplicates, to: &summary)
                graph = try await GraphSnapshot.read(entities: range, from: reader)
            }
            try await repairer.apply(ConsistencyRepairPlan.make(graph: graph, registry: registry), to: &summary)
        }
    }

    /// A repair reads the range's document stamps first, then the graph, then the registry, and
    /// repairs with the range's rows locked (``RegistryStore/withDocumentRowsShared(from:below:_:)``),
    /// leaving out the documents whose stamp moved meanwhile: a worker claimed, loaded or
    /// deleted them, and what it writes is theirs.
    private mutating func documents(_ range: IDRange, unattachedChunkIDs: [String]) async throws {
        let reader = database.reader
        let stampsBefore = repair == nil ? [:] : try await registryStore.documentStamps(from: range.from, below: range.below)
        let graph = try await GraphSnapshot.read(documents: range, from: reader, unattachedChunkIDs: unattachedChunkIDs)
        let registry = try await RegistrySnapshot.read(documents: range, from: registryStore)
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        guard let repairer, let summary = repair else { return }
        let repaired = try await registryStore.withDocumentRowsShared(from: range.from, below: range.below) { stamps in
            let moved = Set(stamps.keys).union(stampsBefore.keys).filter { stamps[$0] != stampsBefore[$0] }
            var toReextract: [Int64] = []
            var updated = try await repairer.lockingGraph(summary) { summary in
                var graph = graph
                let duplicates = ConsistencyRepairPlan.structural(graph: graph).duplicateDocumentIDs.filter { !moved.contains($0) }
                if !duplicates.isEmpty {
                    try await repairer.collapseDuplicateDocuments(duplicates, to: &summary)
                    graph = try await GraphSnapshot.read(documents: range, from: reader, unattachedChunkIDs: unattachedChunkIDs)
                }
                let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry).excluding(documents: moved)
                try await repairer.apply(plan, to: &summary)
                try await repairer.applyChunkLayer(plan, to: &summary)
                toReextract = plan.documentsToReextract
            }
            updated.documentsLeftToWorkers += moved.count
            return (updated, toReextract)
        }
        // Rows are written once the lock is given back (this process's other connections wait
        // for it too); a document a worker claimed meanwhile is no longer `loaded` and is left.
        var summaryAfter = repaired.0
        try await repairer.queueForReextraction(repaired.1, to: &summaryAfter)
        repair = summaryAfter
    }
}
