import Communities
import Foundation
public import Registry
public import Report

/// `graphingest report`: gathers what the page shows (``ReportData``) from the registry, the
/// source of truth, and lays the network out with igraph. It reads no graph: every figure the
/// page shows is one the registry keeps (relations are its pair totals at the threshold,
/// communities its copy of the graph's `__Community__` nodes).
public struct ReportJob: Sendable {
    public let registry: RegistryStore
    /// How many items each list holds at most (`--top`).
    public let top: Int
    /// How many relations the network draws at most, per entity drawn: `top` entities, at most
    /// `top * edgesPerNode` relations, so the page's size is bounded by `--top` alone.
    public static let edgesPerNode = 4

    public init(registry: RegistryStore, top: Int) {
        self.registry = registry
        self.top = max(1, top)
    }

    /// Reads the registry and returns the page's data.
    public func run() async throws -> ReportData {
        try await registry.requireMigrated()
        let threshold = try await registry.cooccurrenceThreshold() ?? PipelineConfiguration.defaultMinimumCooccurrence
        let totals = try await registry.totals()
        let figures = try await registry.report(top: top, minimumCount: threshold)
        let runs = try await registry.lastRuns(top)
        let letters = try await registry.listDeadLetters(limit: top)
        var data = ReportData(top: top, asOf: runs.first.map { $0.finishedAt ?? $0.startedAt })
        data.corpus = Self.corpus(figures, totals: totals, threshold: threshold)
        data.runs = runs.map(Self.run)
        data.topByMentions = figures.topByMentions.map(Self.entity)
        data.topByDegree = figures.topByDegree.map(Self.entity)
        data.network = try Self.network(figures, maximumEdges: top * Self.edgesPerNode)
        data.communities = figures.communities.map {
            ReportData.Community(id: $0.id, level: $0.level, size: $0.size, documents: $0.documents, title: $0.title, summary: $0.summary,
                                 members: $0.members)
        }
        data.deadLetters = letters.map {
            ReportData.DeadLetter(id: $0.id, runID: $0.runID, source: $0.source, stage: $0.stage.rawValue, error: $0.error, createdAt: $0.createdAt)
        }
        data.openDeadLetters = try await registry.openDeadLetterCount()
        data.chunkSizes = ReportHistogram(frequencies: figures.chunkSizes)
        data.mentionsPerDocument = ReportHistogram(frequencies: figures.mentionsPerDocument)
        return data
    }

    static func corpus(_ figures: RegistryReport, totals: RegistryStore.Totals, threshold: Int) -> ReportData.Corpus {
        var corpus = ReportData.Corpus()
        let statuses = Dictionary(figures.statuses.map { ($0.status, $0) }, uniquingKeysWith: { first, _ in first })
        corpus.statuses = DocumentStatus.allCases.map {
            ReportData.Corpus.Status(status: $0.rawValue, documents: statuses[$0]?.documents ?? 0, bytes: statuses[$0]?.bytes ?? 0)
        }
        corpus.chunks = figures.chunkSizes.values.reduce(0, +)
        corpus.entities = totals.entities
        corpus.entityTypes = figures.entityTypes.map { ReportData.Count(name: $0.type, count: $0.entities) }
        corpus.mentionRelationships = totals.mentionRelationships
        corpus.mentions = totals.mentions
        corpus.relations = totals.relations
        corpus.pairs = totals.pairs
        corpus.minimumCooccurrence = totals.minimumCooccurrence ?? threshold
        corpus.communityLevels = figures.communityLevels.sorted { $0.key < $1.key }.map { ReportData.Count(name: "\($0.key)", count: $0.value) }
        return corpus
    }

    /// A run's figures as its `--json` summary gave them (`seconds`, `loaded`, `bytes`,
    /// `stage_seconds`); the stacked stages are the pipeline's own, not the commit's sub-steps.
    static func run(_ record: RunRecord) -> ReportData.Run {
        let figures = record.figures ?? [:]
        var stages: [ReportData.Run.Stage] = []
        if case .object(let seconds)? = figures["stage_seconds"] {
            stages = RunTally.Stage.allCases.compactMap { stage in
                seconds[stage.rawValue]?.doubleValue.map { ReportData.Run.Stage(name: stage.rawValue, seconds: $0) }
            }
        }
        return ReportData.Run(id: record.id, command: record.command, startedAt: record.startedAt, finishedAt: record.finishedAt,
                              seconds: figures["seconds"]?.doubleValue, documents: figures["loaded"]?.doubleValue.map { Int($0) },
                              bytes: figures["bytes"]?.doubleValue.map { Int($0) }, stages: stages)
    }

    static func entity(_ entity: RegistryReport.Entity) -> ReportData.Entity {
        ReportData.Entity(key: entity.key, name: entity.name, type: entity.type, mentions: entity.mentions, documents: entity.documents,
                          degree: entity.degree)
    }

    /// The network's entities (the most mentioned with a relation) as nodes in key order, the strongest `maximumEdges`
    /// relations between them, and igraph's layout of the two (deterministic: the same graph, the same
    /// picture).
    static func network(_ figures: RegistryReport, maximumEdges: Int) throws -> ReportData.Network {
        let entities = figures.network.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        let index = Dictionary(entities.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let kept = figures.relations.prefix(maximumEdges).compactMap { relation -> ReportData.Network.Edge? in
            guard let a = index[relation.a], let b = index[relation.b] else { return nil }
            return ReportData.Network.Edge(a: min(a, b), b: max(a, b), count: relation.count)
        }.sorted { ($0.a, $0.b) < ($1.a, $1.b) }
        let points = try CommunityLayout().positions(
            vertexCount: entities.count,
            edges: kept.map { CommunityLayout.Edge(a: $0.a, b: $0.b, weight: 1 + log(Double(max(1, $0.count)))) })
        let nodes = zip(entities, points).map { entity, point in
            ReportData.Network.Node(key: entity.key, name: entity.name, type: entity.type, mentions: entity.mentions,
                                    community: figures.coarsestCommunity[entity.id], x: point.x, y: point.y)
        }
        return ReportData.Network(nodes: nodes, edges: kept, omittedEdges: max(0, figures.relations.count - kept.count))
    }
}

extension RegistryJSON {
    /// A number's value (an integer or not); nil for other values.
    var doubleValue: Double? {
        switch self {
        case .integer(let value): Double(value)
        case .number(let value): value
        default: nil
        }
    }
}
