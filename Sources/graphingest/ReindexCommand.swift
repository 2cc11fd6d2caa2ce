import ArgumentParser

struct ReindexCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reindex", abstract: "Apply only new, changed and deleted documents.")
    @OptionGroup var extraction: ExtractionOptions
    @OptionGroup var connection: ConnectionOptions
    func run() async throws { try notImplemented("reindex") }
}
