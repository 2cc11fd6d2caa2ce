import ArgumentParser

struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reindex", abstract: "Apply only new, changed and deleted documents.")
    @OptionGroup var extraction: ExtractionOptions
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try notImplemented("reindex") }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Compare the graph with the registry; exit 0 consistent, 1 not, 2 error.")
    @Flag(help: "Repair what differs from the registry.") var repair = false
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try notImplemented("check") }
}

