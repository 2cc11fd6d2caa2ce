import ArgumentParser
import Ingest
import Logging
import Telemetry

/// The `graphingest` command line: docs/design.md's CLI contract.
@main
struct GraphIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graphingest",
        abstract: "Turn document corpora into a knowledge graph over Bolt, with PostgreSQL as the registry.",
        version: GraphIngestVersion.current,
        subcommands: [
            InitCommand.self, ExtractCommand.self, LoadCommand.self, IngestCommand.self, ConsumeCommand.self, ProduceCommand.self,
            ReindexCommand.self, CheckCommand.self, StatusCommand.self, QueryCommand.self, ContextCommand.self, GazetteerCommand.self,
            CommunitiesCommand.self, ReportCommand.self,
        ]
    )

    /// ArgumentParser's main, with one addition: before the process exits, wait for the
    /// registry's connection threads (libpq's OpenSSL cleans up at exit and must not race them).
    static func main() async {
        do {
            var command = try parseAsRoot()
            // Before any thread is made: check's peak memory stays flat with one malloc arena.
            if command is CheckCommand { MallocArenas.useOne() }
            // Logging is set up before the command runs, from its own options.
            let telemetry = (command as? any TelemetryCommand)?.telemetry
            StandardErrorFormat.bootstrap(format: telemetry?.logFormat ?? .text, level: telemetry?.logLevel ?? .info)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            GraphIngestServers.waitForBackgroundThreads()
            // docs/design.md: every usage error exits 2; ArgumentParser's own code for them is 64.
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                exit(withError: ExitCode(IngestExitCode.usage.rawValue))
            }
            exit(withError: error)
        }
        GraphIngestServers.waitForBackgroundThreads()
    }
}
