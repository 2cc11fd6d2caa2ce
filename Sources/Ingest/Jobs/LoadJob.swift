public import GraphStore
public import Registry

/// `graphingest load`: interchange JSONL (a path, or "-" for standard input) into graph and
/// registry, recorded as a run. It claims nothing: the committer registers what it loads.
public struct LoadJob: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase
    public let configuration: PipelineConfiguration
    /// The JSONL file, or "-" for standard input.
    public let path: String
    /// The command line the run records.
    public let arguments: [String]
    public let progress: ProgressReporter

    public init(registry: RegistryStore, database: GraphDatabase, configuration: PipelineConfiguration,
                path: String, arguments: [String], progress: ProgressReporter) {
        self.registry = registry
        self.database = database
        self.configuration = configuration
        self.path = path
        self.arguments = arguments
        self.progress = progress
    }

    /// Loads the file, then makes the vector index if this was the first load with embeddings.
    public func run() async throws -> IngestSummary {
        try await registry.requireMigrated()
        let (dialect, _) = try await database.dialect()
        let existing = try await database.chunkVectorIndexDimensions(dialect: dialect)
        let embeddings = ChunkEmbeddingDimensions(index: existing)
        let summary = try await RunRecorder(registry: registry).recording("load", arguments: arguments) { runID in
            let threshold = try await CooccurrenceSync.threshold(asked: configuration.minimumCooccurrence, registry: registry)
            var summary = try await Pipeline(registry: registry, graph: database.writer, runID: runID, fingerprint: nil,
                                             configuration: configuration, cooccurrenceThreshold: threshold, label: "load", progress: progress)
                .run(InterchangeProducer(input: .path(path), window: configuration.commitBounds, embeddings: embeddings))
            summary.communities = try await CommunityStep.atEndOfRun(registry: registry, database: database, configuration: configuration,
                                                                     minimumCount: threshold)
            return summary
        }
        // The first load that carries embeddings makes the vector index, now that its
        // dimensions are known (and the full-text index with it, for a graph init never saw).
        if existing == nil, let dimensions = embeddings.dimensions, dialect.chunkVectorIndexStatement(dimensions: dimensions) != nil {
            _ = try await database.writer.createChunkIndexes(dialect: dialect, dimensions: dimensions)
        }
        return summary
    }
}
