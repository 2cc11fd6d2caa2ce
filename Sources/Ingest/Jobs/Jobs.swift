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
        return lines
    }

    /// `graphingest load`: interchange JSONL into graph and registry, recorded as a run.
    public func load(path: String, arguments: [String], documentsPerBatch: Int, writers: Int = 2, progress: ProgressReporter) async throws -> IngestSummary {
        try await requireMigrated()
        return try await recordingRun("load", arguments: arguments) { runID in
            let pipeline = LoadPipeline(
                committer: BatchCommitter(registry: registry, graph: graph, runID: runID, fingerprint: nil),
                registry: registry, documentsPerBatch: documentsPerBatch, relationshipsPerBatch: graph.planner.maximumRows,
                writers: writers, progress: progress)
            return try await pipeline.run(path: path)
        }
    }

    /// `graphingest ingest`: read, extract, write and register a corpus, recorded as a run.
    public func ingest(
        reader: CorpusReader, extractor: Extractor, options: IngestPipeline.Options, arguments: [String], progress: ProgressReporter
    ) async throws -> IngestSummary {
        try await requireMigrated()
        return try await recordingRun("ingest", arguments: arguments) { runID in
            let pipeline = IngestPipeline(
                reader: reader, extractor: extractor,
                committer: BatchCommitter(registry: registry, graph: graph, runID: runID, fingerprint: extractor.fingerprint),
                registry: registry, options: options, progress: progress)
            let (files, missing) = reader.files()
            return try await pipeline.run(files: files, missing: missing)
        }
    }

    /// Runs a pipeline as a recorded run: its row is opened first and gets the figures at the end.
    func recordingRun(_ command: String, arguments: [String], _ body: (Int64) async throws -> IngestSummary) async throws -> IngestSummary {
        let runID = try await registry.startRun(command: command, arguments: arguments)
        var summary = try await body(runID)
        summary.runID = runID
        let data = try JSONEncoder().encode(summary)
        if case .object(let figures) = try RegistryJSON(parsing: String(decoding: data, as: UTF8.self)) {
            try await registry.finishRun(runID, figures: figures)
        }
        return summary
    }
}
