import ArgumentParser

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create the registry schema and the graph constraints.")
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try notImplemented("init") }
}

struct ExtractCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "extract", abstract: "Extract documents, entities and mentions as JSONL; no servers needed.")
    @OptionGroup var extraction: ExtractionOptions
    @Option(help: "Output file, or - for stdout.") var out: String = "-"
    func run() async throws { try notImplemented("extract") }
}

struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "load", abstract: "Load interchange JSONL into the graph and the registry.")
    @Argument(help: "JSONL file, or - for stdin.") var file: String
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try notImplemented("load") }
}

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "Read, extract, load and register a corpus.")
    @OptionGroup var extraction: ExtractionOptions
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try notImplemented("ingest") }
}

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

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Documents per status, last runs, dead letters.")
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try notImplemented("status") }
}
