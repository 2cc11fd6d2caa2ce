import ArgumentParser
import Ingest

struct LoadCommand: AsyncParsableCommand, TelemetryCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load interchange JSONL into the graph and the registry.",
        discussion: "Every line is validated; a bad line goes to dead letters with its line number and the rest loads (exit 1).")
    @Argument(help: "JSONL file, or - for stdin.") var file: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var telemetry: TelemetryOptions

    func run() async throws {
        try await telemetry.withMetrics("load") { try await CommandRunner.run("load", connection: connection, configuration: pipeline.configuration()) { servers in
            let summary = try await LoadJob(
                registry: servers.registry, database: servers.database, configuration: servers.configuration, path: file,
                arguments: recordedArguments, progress: ProgressReporter(label: "load", enabled: !pipeline.quiet && telemetry.showsProgress)
            ).run()
            CommandRunner.report("load", summary: summary, json: pipeline.json)
            return summary.deadLetters > 0 ? .finishedWithProblems : .success
        } }
    }
}
