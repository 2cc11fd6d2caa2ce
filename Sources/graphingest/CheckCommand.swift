import ArgumentParser
import Foundation
import Ingest

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Compare the graph with the registry; exit 0 consistent, 1 not, 2 error.",
        discussion: """
        Reads both sides in bulk and reports each class of inconsistency with its count and some \
        ids. With --repair, fixes every class from the registry (the source of truth), records \
        the repair as a run, and checks again: the exit code then says whether the graph is \
        consistent after the repair. Exit 3 when a server cannot be reached. Run --repair while \
        no ingest is writing.
        """)
    @Flag(help: "Repair what differs from the registry.") var repair = false
    @Flag(help: "Print the report as JSON on stdout.") var json = false
    @Option(help: "Sample ids shown per check.") var sample: Int = 10
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        guard sample >= 0 else { throw ValidationError("--sample must be at least 0") }
    }

    func run() async throws {
        try await CommandRunner.run("check", connection: connection, configuration: PipelineConfiguration(writers: 4), failureCode: .usage) { servers in
            let result = repair
                ? try await servers.checkAndRepair(sampleSize: sample, arguments: recordedArguments)
                : try await servers.check(sampleSize: sample)
            if json {
                JSONOutput.print(result)
            } else {
                for line in result.report.lines { print(line) }
                if let summary = result.repair, let after = result.after {
                    print("repair (run \(summary.runID.map(String.init) ?? "-")): \(summary.text)")
                    print("after repair:")
                    for line in after.lines { print(line) }
                }
            }
            printError("check: \(result.isConsistent ? "consistent" : "inconsistent") in \(String(format: "%.2f", result.seconds)) s")
            return result.isConsistent ? .success : .finishedWithProblems
        }
    }
}
