import ArgumentParser
import Ingest

struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load", abstract: "Load interchange JSONL into the graph and the registry.",
        discussion: "Every line is validated; a bad line goes to dead letters with its line number and the rest loads (exit 1).")
    @Argument(help: "JSONL file, or - for stdin.") var file: String
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var batch: BatchOptions
    @Option(help: "Concurrent graph writers.") var workers: Int = 2
    @Flag(help: "Print a machine-readable summary on stdout.") var json = false
    @Flag(help: "No progress lines.") var quiet = false

    func run() async throws {
        try await CommandRunner.run("load", connection: connection, writers: workers, batchRows: batch.batchSize, batchMegabytes: batch.batchMegabytes) { servers in
            let summary = try await servers.load(
                path: file, arguments: Array(CommandLine.arguments.dropFirst()), documentsPerBatch: 1_000, writers: workers,
                progress: ProgressReporter(label: "load", enabled: !quiet))
            CommandRunner.report("load", summary: summary, json: json)
            return summary.deadLetters > 0 ? .finishedWithProblems : .success
        }
    }
}
