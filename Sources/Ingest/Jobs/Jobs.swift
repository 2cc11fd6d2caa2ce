import Extraction
import Foundation
import GraphStore
import Logging
import Registry

/// The jobs behind the CLI's commands, on open servers. The CLI parses arguments and prints;
/// everything that talks to a server lives here.
extension GraphIngestServers {
    /// `graphingest init`: registry migrations, then the graph's uniqueness constraints and chunk indexes.
    /// - Returns: lines for the user.
    public func initialize() async throws -> [String] {
        let applied = try await registry.migrate()
        var lines = ["registry schema \(registry.schema.name) " + (applied.isEmpty ? "is up to date" : "migrated to version \(applied.max()!)")]
        let (dialect, detected) = try await dialect()
        try await graph.createConstraints(dialect: dialect)
        lines.append("uniqueness constraints on Document.id, Entity.id and Chunk.id in the \(dialect.rawValue) dialect (\(detected ? "detected" : "as asked"))")
        try await graph.createLookupIndexes(dialect: dialect)
        lines.append("index on Entity.key (graphingest context finds a question's entities by key)")
        let dimensions = try await database.chunkVectorIndexDimensions(dialect: dialect)
        let indexes = try await graph.createChunkIndexes(dialect: dialect, dimensions: dimensions)
        lines += Self.chunkIndexLines(indexes, dialect: dialect, dimensions: dimensions)
        return lines
    }

    /// What `init` says about the chunk indexes.
    static func chunkIndexLines(_ indexes: GraphChunkIndexes, dialect: GraphDialect, dimensions: Int?) -> [String] {
        var lines: [String] = []
        if indexes.fullText {
            lines.append("full-text index \(GraphDialect.chunkTextIndex) on Chunk.text")
        } else {
            lines.append("the \(dialect.rawValue) dialect has no full-text index over Cypher: Chunk.text is not indexed for text search")
        }
        if let dimensions, indexes.vector {
            lines.append("vector index \(GraphDialect.chunkEmbeddingIndex) on Chunk.embedding (\(dimensions) dimensions, cosine)")
        } else if dialect.chunkVectorIndexStatement(dimensions: 1) != nil {
            lines.append("the vector index on Chunk.embedding comes with the first load that carries embeddings (its dimensions come from the data)")
        } else {
            lines.append("the \(dialect.rawValue) dialect has no vector index over Cypher: Chunk.embedding is stored but not indexed")
        }
        if let advice = dialect.nativeChunkIndexAdvice {
            lines.append("to index chunks natively, \(advice)")
        }
        return lines
    }

    /// `graphingest load`: interchange JSONL (a path, or "-" for standard input) into graph and
    /// registry, recorded as a run.
    public func load(path: String, arguments: [String], progress: ProgressReporter) async throws -> IngestSummary {
        try await requireMigrated()
        let (dialect, _) = try await dialect()
        let existing = try await database.chunkVectorIndexDimensions(dialect: dialect)
        let embeddings = ChunkEmbeddingDimensions(index: existing)
        let summary = try await RunRecorder(registry: registry).recording("load", arguments: arguments) { runID in
            try await pipeline(runID: runID, fingerprint: nil, label: "load", progress: progress)
                .run(InterchangeProducer(input: .path(path), window: configuration.commitBounds, embeddings: embeddings))
        }
        // The first load that carries embeddings makes the vector index, now that its
        // dimensions are known (and the full-text index with it, for a graph init never saw).
        if existing == nil, let dimensions = embeddings.dimensions, dialect.chunkVectorIndexStatement(dimensions: dimensions) != nil {
            _ = try await graph.createChunkIndexes(dialect: dialect, dimensions: dimensions)
        }
        return summary
    }

    /// `graphingest ingest`: read, extract, write and register a corpus, recorded as a run.
    public func ingest(reader: CorpusReader, extractor: Extractor, arguments: [String], progress: ProgressReporter) async throws -> IngestSummary {
        try await requireMigrated()
        let worker = makeWorker(label: "ingest")
        return try await worker.run(command: "ingest", fingerprint: extractor.fingerprint, fingerprintParts: extractor.fingerprintParts) {
            try await RunRecorder(registry: registry).recording("ingest", arguments: arguments) { runID in
                let (files, missing) = reader.files()
                return try await pipeline(runID: runID, fingerprint: extractor.fingerprint, label: "ingest", progress: progress, worker: worker)
                    .run(CorpusProducer(reader: reader, extractor: extractor, registry: registry, files: files, missing: missing,
                                        configuration: configuration, worker: worker))
            }
        }
    }

    /// This process as a worker of the registry's queue, with the run's lease.
    func makeWorker(label: String) -> QueueWorker {
        QueueWorker(registry: registry, lease: configuration.lease, waitsForOthers: configuration.waitsForOthers,
                    logger: Logger(label: label))
    }

    /// The pipeline of a run on these servers.
    func pipeline(runID: Int64, fingerprint: String?, label: String, progress: ProgressReporter, worker: QueueWorker? = nil) -> Pipeline {
        Pipeline(registry: registry, graph: graph, runID: runID, fingerprint: fingerprint, configuration: configuration,
                 label: label, progress: progress, worker: worker)
    }
}
