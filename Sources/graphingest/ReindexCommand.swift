import ArgumentParser
import Extraction
import Foundation
import Ingest

struct ReindexCommand: AsyncParsableCommand, TelemetryCommand {
    static let configuration = CommandConfiguration(
        commandName: "reindex", abstract: "Apply only new, changed and deleted documents.",
        discussion: """
        Plain files are judged by size and modification time first and read only when those \
        differ; JSONL/CSV records by their SHA-256. New and changed documents are extracted and \
        their MENTIONS replaced; when a folder was given, documents registered under it and no \
        longer found are deleted from the graph and tombstoned (a list of files never deletes \
        anything). Entities that lose their last MENTIONS through this run are removed unless \
        --keep-orphans. --dry-run prints the plan and changes nothing. A run that dies part-way \
        is finished by running it again.
        """)
    @OptionGroup var input: CorpusInput
    @OptionGroup var corpus: CorpusArguments
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var telemetry: TelemetryOptions
    @OptionGroup var queue: QueueOptions
    @Flag(help: "Print the plan (counts and some sources of each kind) and change nothing.") var dryRun = false
    @Flag(help: "Leave entities that lose their last MENTIONS in the graph.") var keepOrphans = false

    func run() async throws {
        let (extractor, reader) = try corpus.makeExtractor(input, for: "reindex")
        try await telemetry.withMetrics("reindex") { try await CommandRunner.run("reindex", connection: connection, configuration: queue.applied(to: pipeline.configuration(extractionWorkers: corpus.workerCount))) { servers in
            let summary = try await ReindexJob(
                registry: servers.registry, database: servers.database, configuration: servers.configuration,
                reader: reader, extractor: extractor, dryRun: dryRun, keepOrphans: keepOrphans,
                arguments: recordedArguments, progress: ProgressReporter(label: "reindex", enabled: !pipeline.quiet && telemetry.showsProgress)
            ).run()
            for line in summary.lines { printError(line) }
            if pipeline.json { JSONOutput.print(summary) }
            return summary.ingest.deadLetters > 0 ? .finishedWithProblems : .success
        } }
    }
}
