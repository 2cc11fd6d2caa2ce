import ArgumentParser
import Extraction
import Foundation
import Ingest

struct IngestCommand: AsyncParsableCommand, TelemetryCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Read, extract, load and register a corpus.",
        discussion: """
        Documents already loaded with the same content and the same gazetteer, rules and options \
        are skipped. Files that cannot be read, and documents the graph rejects, go to dead letters \
        (exit 1); the rest lands. Rerunning after a crash finishes the job without duplicates.
        """)
    @OptionGroup var input: CorpusInput
    @OptionGroup var corpus: CorpusArguments
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var telemetry: TelemetryOptions
    @OptionGroup var queue: QueueOptions

    func run() async throws {
        let (extractor, reader) = try corpus.makeExtractor(input, for: "ingest")
        try await telemetry.withMetrics("ingest") { try await CommandRunner.run("ingest", connection: connection, configuration: queue.applied(to: pipeline.configuration(extractionWorkers: corpus.workerCount))) { servers in
            let summary = try await IngestJob(
                registry: servers.registry, database: servers.database, configuration: servers.configuration,
                reader: reader, extractor: extractor, arguments: recordedArguments,
                progress: ProgressReporter(label: "ingest", enabled: !pipeline.quiet && telemetry.showsProgress)
            ).run()
            CommandRunner.report("ingest", summary: summary, json: pipeline.json)
            return summary.deadLetters > 0 ? .finishedWithProblems : .success
        } }
    }
}
