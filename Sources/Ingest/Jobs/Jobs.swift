import Extraction
import Foundation
import GraphStore
import Registry

/// The jobs behind the CLI's commands, on open servers. The CLI parses arguments and prints;
/// everything that talks to a server lives here.
extension GraphIngestServers {
    /// `graphingest init`: registry migrations, then the graph's uniqueness constraints.
    /// - Returns: lines for the user.
    public func initialize() async throws -> [String] {
        let applied = try await registry.migrate()
        var lines = ["registry schema \(registry.schema.name) " + (applied.isEmpty ? "is up to date" : "migrated to version \(applied.max()!)")]
        let (dialect, detected) = try await dialect()
        try await graph.createConstraints(dialect: dialect)
        lines.append("uniqueness constraints on Document.id and Entity.id in the \(dialect.rawValue) dialect (\(detected ? "detected" : "as asked"))")
        try await graph.createLookupIndexes(dialect: dialect)
        lines.append("index on Entity.key (graphingest context finds a question's entities by key)")
        return lines
    }

    /// `graphingest load`: interchange JSONL (a path, or "-" for standard input) into graph and
    /// registry, recorded as a run.
    public func load(path: String, arguments: [String], progress: ProgressReporter) async throws -> IngestSummary {
        try await requireMigrated()
        return try await RunRecorder(registry: registry).recording("load", arguments: arguments) { runID in
            try await pipeline(runID: runID, fingerprint: nil, label: "load", progress: progress)
                .run(InterchangeProducer(input: .path(path), window: configuration.commitBounds))
        }
    }

    /// `graphingest ingest`: read, extract, write and register a corpus, recorded as a run.
    public func ingest(reader: CorpusReader, extractor: Extractor, arguments: [String], progress: ProgressReporter) async throws -> IngestSummary {
        try await requireMigrated()
        return try await RunRecorder(registry: registry).recording("ingest", arguments: arguments) { runID in
            let (files, missing) = reader.files()
            return try await pipeline(runID: runID, fingerprint: extractor.fingerprint, label: "ingest", progress: progress)
                .run(CorpusProducer(reader: reader, extractor: extractor, registry: registry, files: files, missing: missing,
                                    configuration: configuration))
        }
    }

    /// The pipeline of a run on these servers.
    func pipeline(runID: Int64, fingerprint: String?, label: String, progress: ProgressReporter) -> Pipeline {
        Pipeline(registry: registry, graph: graph, runID: runID, fingerprint: fingerprint, configuration: configuration,
                 label: label, progress: progress)
    }
}
