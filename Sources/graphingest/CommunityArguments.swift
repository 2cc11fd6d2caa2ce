import ArgumentParser
import Communities
import Ingest

/// How the communities of the co-occurrence graph are computed (`ingest`, `reindex`, `load`,
/// `check` and `communities`); the options belong to the community fingerprint.
struct CommunityArguments: ParsableArguments {
    @Flag(help: "Do not compute communities at the end of the run.") var noCommunities = false
    @Option(help: "Leiden's resolution: above 1 gives more, smaller communities.") var resolution = CommunityOptions.standard.resolution
    @Option(help: "A community with more members is clustered again on its own, one level finer.")
    var maxCommunitySize = CommunityOptions.standard.maxCommunitySize
    @Option(help: "At most this many levels.") var maxCommunityLevels = CommunityOptions.standard.maxLevels
    @Option(help: "The seed of Leiden's random choices: the same edges and seed give the same communities.")
    var communitySeed = CommunityOptions.standard.seed

    func validate() throws {
        _ = try options()
    }

    /// The options, or a usage error that names the option.
    func options() throws -> CommunityOptions {
        do {
            return try CommunityOptions(resolution: resolution, maxCommunitySize: maxCommunitySize, seed: communitySeed,
                                        maxLevels: maxCommunityLevels)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `configuration` with these communities (none with `--no-communities`).
    func applied(to configuration: PipelineConfiguration) throws -> PipelineConfiguration {
        var configuration = configuration
        configuration.communities = noCommunities ? nil : try options()
        return configuration
    }
}

struct CommunitiesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "communities",
        abstract: "Computes the communities of the co-occurrence graph, writes what changed, and prints the levels.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var communities: CommunityArguments
    @Option(help: ArgumentHelp("Write, per community, what a language model needs to write its report (JSON lines), instead of computing.",
                               valueName: "file"))
    var exportContext: String?
    @Flag(help: "With --export-context: only the communities without a current report.") var stale = false
    @Option(help: "With --export-context: the most tokens (4 characters each) of members, relations and passages per community.")
    var tokenBudget = 4_000
    @Option(help: ArgumentHelp("Load report lines ({community, members_sha256, title, summary[, rank][, embedding]}), instead of computing.",
                               valueName: "file"))
    var loadReports: String?
    @Flag(help: "Print the summary as JSON on stdout.") var json = false

    func validate() throws {
        if communities.noCommunities { throw ValidationError("--no-communities makes no sense here") }
        if exportContext != nil && loadReports != nil { throw ValidationError("--export-context and --load-reports are two runs") }
        if stale && exportContext == nil { throw ValidationError("--stale needs --export-context") }
        guard tokenBudget >= 100 else { throw ValidationError("--token-budget must be at least 100") }
    }

    func run() async throws {
        let options = try communities.options()
        try await CommandRunner.run("communities", connection: connection) { servers in
            let reports = CommunityReports(registry: servers.registry, database: servers.database)
            if let path = exportContext {
                let export = try await reports.export(to: path, staleOnly: stale, tokenBudget: tokenBudget)
                if json { JSONOutput.print(export) } else { print("exported the context of \(export.communities) communities (\(export.passages) passages) to \(path)") }
                return .success
            }
            if let path = loadReports {
                let load = try await reports.load(from: path)
                if json { JSONOutput.print(load) } else {
                    print("loaded \(load.loaded) reports")
                    for line in load.rejected { printError("communities: refused \(line)") }
                }
                return load.rejected.isEmpty ? .success : .finishedWithProblems
            }
            let summary = try await CommunitiesJob(registry: servers.registry, database: servers.database, options: options).run()
            if json {
                JSONOutput.print(summary)
            } else {
                for line in summary.lines { print(line) }
            }
            return .success
        }
    }
}
