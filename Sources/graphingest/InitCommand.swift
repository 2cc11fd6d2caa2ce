import ArgumentParser
import Ingest

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create the registry schema and the graph constraints (idempotent).")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        try await CommandRunner.run("init", connection: connection) { servers in
            for line in try await InitJob(registry: servers.registry, database: servers.database).run() { printError("init: \(line)") }
            return .success
        }
    }
}
