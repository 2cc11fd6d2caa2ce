import ArgumentParser
import Foundation
import Ingest

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Documents per status, last runs, dead letters.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "How many recent runs to show.") var runs: Int = 5
    @Flag(help: "Print the report as JSON on stdout.") var json = false

    func run() async throws {
        try await CommandRunner.run("status", connection: connection) { servers in
            let report = try await StatusJob(registry: servers.registry, runs: runs).run()
            if json {
                JSONOutput.print(report)
            } else {
                for line in report.lines { print(line) }
            }
            return .success
        }
    }
}
