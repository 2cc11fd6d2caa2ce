import ArgumentParser
import Ingest

/// The `graphingest` command line: DESIGN.md's CLI contract.
@main
struct GraphIngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graphingest",
        abstract: "Turn document corpora into a knowledge graph over Bolt, with PostgreSQL as the registry.",
        version: GraphIngestVersion.current,
        subcommands: [
            InitCommand.self, ExtractCommand.self, LoadCommand.self, IngestCommand.self,
            ReindexCommand.self, CheckCommand.self, StatusCommand.self, QueryCommand.self,
        ]
    )
}
