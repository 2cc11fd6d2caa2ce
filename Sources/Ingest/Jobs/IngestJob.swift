public import Extraction
public import GraphStore
import Logging
public import Registry

/// `graphingest ingest`: reads, extracts, writes and registers a corpus as a worker of the
/// registry's queue, recorded as a run.
public struct IngestJob: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase
    public let configuration: PipelineConfiguration
    public let reader: CorpusReader
    public let extractor: Extractor
    /// The command line the run records.
    public let arguments: [String]
    public let progress: ProgressReporter

    public init(registry: RegistryStore, database: GraphDatabase, configuration: PipelineConfiguration,
                reader: CorpusReader, extractor: Extractor, arguments: [String], progress: ProgressReporter) {
        self.registry = registry
        self.database = database
        self.configuration = configuration
        self.reader = reader
        self.extractor = extractor
        self.arguments = arguments
        self.progress = progress
    }

    /// Runs the ingest: the corpus's files through the pipeline, claimed like every worker's.
    public func run() async throws -> IngestSummary {
        try await registry.requireMigrated()
        let worker = QueueWorker(registry: registry, configuration: configuration, label: "ingest")
        return try await worker.run(command: "ingest", fingerprint: extractor.fingerprint, fingerprintParts: extractor.fingerprintParts) {
            try await RunRecorder(registry: registry).recording("ingest", arguments: arguments) { runID in
                let (files, missing) = reader.files()
                let threshold = try await CooccurrenceSync.threshold(asked: configuration.minimumCooccurrence, registry: registry)
                var summary = try await Pipeline(registry: registry, graph: database.writer, runID: runID, fingerprint: extractor.fingerprint,
                                          configuration: configuration, cooccurrenceThreshold: threshold, label: "ingest",
                                          progress: progress, worker: worker)
                    .run(CorpusProducer(reader: reader, extractor: extractor, files: files, missing: missing,
                                        configuration: configuration, worker: worker))
                summary.communities = try await CommunityStep.atEndOfRun(registry: registry, database: database, configuration: configuration,
                                                                         minimumCount: threshold)
                return summary
            }
        }
    }
}

extension QueueWorker {
    /// This process as a worker of the registry's queue, with the run's lease.
    convenience init(registry: RegistryStore, configuration: PipelineConfiguration, label: String) {
        self.init(queue: registry, lease: configuration.lease, waitsForOthers: configuration.waitsForOthers, logger: Logger(label: label))
    }
}
