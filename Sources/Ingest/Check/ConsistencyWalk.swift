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
            if let summary = repair {
                repair = try await Self.lockingGraph(servers, summary) { try await servers.applyRelationLayer(relations, to: &$0) }
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
        guard let repaired = repair else { return }
        let structural = ConsistencyRepairPlan.structural(graph: graph)
        constraintsToCreate = structural.createConstraints ? dialect : nil
        var summary = try await Self.lockingGraph(servers, repaired) { summary in
            if structural.deleteDanglingMentions {
                summary.danglingMentionsDeleted += try await servers.graph.deleteDanglingMentions()
            }
            try await servers.applyChunkLayer(ConsistencyRepairPlan.make(graph: graph, registry: registry), to: &summary)
        }
        if !relations.driftedTotals.isEmpty {
            try await servers.registry.recomputePairTotals(relations.driftedTotals)
            summary.pairTotalsRecomputed += relations.driftedTotals.count
        }
        repair = summary
    }

    /// Runs a repair step holding the graph-write lock, as a commit's entity and relationship
    /// writes do: beside running workers a repair touches the same popular Entity nodes, and
    /// ArcadeDB fails concurrent writers to one vertex. Taken after a range's document rows
    /// (workers never wait for a row while they hold the lock, so the order cannot deadlock).
    private static func lockingGraph(
        _ servers: GraphIngestServers, _ summary: ConsistencyRepairSummary,
        _ step: (inout ConsistencyRepairSummary) async throws -> Void
    ) async throws -> ConsistencyRepairSummary {
        try await servers.registry.withGraphWriteLock {
            var summary = summary
            try await step(&summary)
            return summary
        }
    }

    /// Reads the graph's side before the registry's: a worker registers what it writes before
    /// writing it, so what the graph holds is never missing from a later read of the registry.
    private mutating func entities(_ range: IDRange, _ servers: GraphIngestServers) async throws {
        let reader = servers.database.reader
        var graph = try await GraphSnapshot.read(entities: range, from: reader)
        let registry = try await RegistrySnapshot.read(entities: range, from: servers.registry)
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        guard let summary = repair else { return }
        repair = try await Self.lockingGraph(servers, summary) { summary in
            let duplicates = ConsistencyRepairPlan.structural(graph: graph).duplicateEntityIDs
            if !duplicates.isEmpty {
                summary.duplicateNodesDeleted += try await servers.graph.collapseDuplicateEntities(duplicates)
                graph = try await GraphSnapshot.read(entities: range, from: reader)
            }
            try await servers.apply(ConsistencyRepairPlan.make(graph: graph, registry: registry), to: &summary)
        }
    }

    /// A repair reads the range's document stamps first, then the graph, then the registry, and
    /// repairs with the range's rows locked (``RegistryStore/withDocumentRowsShared(from:below:_:)``),
    /// leaving out the documents whose stamp moved meanwhile: a worker claimed, loaded or
    /// deleted them, and what it writes is theirs.
    private mutating func documents(_ range: IDRange, _ servers: GraphIngestServers, unattachedChunkIDs: [String]) async throws {
        let reader = servers.database.reader
        let stampsBefore = repair == nil ? [:] : try await servers.registry.documentStamps(from: range.from, below: range.below)
        let graph = try await GraphSnapshot.read(documents: range, from: reader, unattachedChunkIDs: unattachedChunkIDs)
        let registry = try await RegistrySnapshot.read(documents: range, from: servers.registry)
        builder.add(ConsistencyComparison.compare(graph: graph, registry: registry, sampleSize: sampleSize))
        guard let summary = repair else { return }
        let repaired = try await servers.registry.withDocumentRowsShared(from: range.from, below: range.below) { stamps in
            let moved = Set(stamps.keys).union(stampsBefore.keys).filter { stamps[$0] != stampsBefore[$0] }
            var toReextract: [Int64] = []
            var updated = try await Self.lockingGraph(servers, summary) { summary in
                var graph = graph
                let duplicates = ConsistencyRepairPlan.structural(graph: graph).duplicateDocumentIDs.filter { !moved.contains($0) }
                if !duplicates.isEmpty {
                    summary.duplicateNodesDeleted += try await servers.graph.collapseDuplicateDocuments(duplicates)
                    graph = try await GraphSnapshot.read(documents: range, from: reader, unattachedChunkIDs: unattachedChunkIDs)
                }
                let plan = ConsistencyRepairPlan.make(graph: graph, registry: registry).excluding(documents: moved)
                try await servers.apply(plan, to: &summary)
                try await servers.applyChunkLayer(plan, to: &summary)
                toReextract = plan.documentsToReextract
            }
            updated.documentsLeftToWorkers += moved.count
            return (updated, toReextract)
        }
        // Rows are written once the lock is given back (this process's other connections wait
        // for it too); a document a worker claimed meanwhile is no longer `loaded` and is left.
        repair = repaired.0
        if !repaired.1.isEmpty {
            repair?.documentsQueuedForReextraction += try await servers.registry.markForReextraction(
                repaired.1, reason: GraphIngestServers.reextractionReason).count
        }
    }
}
