import ArgumentParser
import Extraction
import Foundation
import GraphStore
import Ingest
import Logging

/// Runs a server-facing command: resolves the settings, opens the servers, and turns every
/// failure into docs/design.md's exit codes with a message naming the server and what it answered.
enum CommandRunner {
    /// - Parameter failureCode: the exit code for a failure other than an unreachable server
    ///   (`check` exits 2 when the check itself fails); nil for docs/design.md's default mapping.
    static func run(
        _ command: String, connection: ConnectionOptions, configuration: PipelineConfiguration = PipelineConfiguration(),
        failureCode: IngestExitCode? = nil,
        _ body: (GraphIngestServers) async throws -> IngestExitCode
    ) async throws {
        let exitCode = { (error: any Error) -> IngestExitCode in
            let code = FailureReport.exitCode(for: error)
            return code == .serverUnreachable ? code : failureCode ?? code
        }
        try await exiting(command, exitCode: exitCode) {
            let settings = try ServerSettings.resolve(
                bolt: connection.graph.bolt, user: connection.graph.user, database: connection.graph.database,
                postgres: connection.postgres, dialect: connection.dialect.dialect,
                environment: ProcessInfo.processInfo.environment)
            return try await GraphIngestServers.withServers(settings, configuration: configuration, body)
        }
    }

    /// Runs a command that needs only the graph database (`query`). A statement the server
    /// refuses (syntax, a constraint) is the user's input to fix: exit 2.
    static func runOnGraph(_ command: String, graph: GraphOptions, _ body: (GraphDatabase) async throws -> IngestExitCode) async throws {
        let exitCode = { (error: any Error) -> IngestExitCode in
            GraphStoreError.from(error)?.code == .refused ? .usage : FailureReport.exitCode(for: error)
        }
        try await exiting(command, exitCode: exitCode) {
            let settings = try GraphDatabaseSettings.resolve(
                bolt: graph.bolt, user: graph.user, database: graph.database, dialect: nil,
                environment: ProcessInfo.processInfo.environment)
            return try await GraphDatabase.withDatabase(settings, userAgent: GraphIngestVersion.userAgent) { database in
                try await database.verifyConnectivity()
                return try await body(database)
            }
        }
    }

    /// Runs `body` and exits with its code, or with the code and message for what it threw.
    private static func exiting(
        _ command: String, exitCode: (any Error) -> IngestExitCode, _ body: () async throws -> IngestExitCode
    ) async throws {
        let code: IngestExitCode
        do {
            code = try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("graphingest \(command): \(FailureReport.describe(error))", level: .error)
            throw ExitCode(exitCode(error).rawValue)
        }
        if code != .success {
            throw ExitCode(code.rawValue)
        }
    }

    /// Prints a summary: its line on stderr, and JSON on stdout with `--json`.
    static func report(_ command: String, summary: IngestSummary, json: Bool) {
        printError("\(command): \(summary.text)")
        if json { JSONOutput.print(summary) }
    }
}

/// The one `--json` printer: sorted keys, ISO 8601 dates, one line on stdout.
enum JSONOutput {
    static func print(_ value: some Encodable) {
        Swift.print(text(value))
    }

    static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// The options of the commands that commit documents (`ingest`, `reindex`, `load`): how the
/// pipeline is sized. Each option has one meaning.
struct PipelineOptions: ParsableArguments {
    @Option(help: "Concurrent graph-and-registry commits.") var workers: Int = 2
    @Option(help: "A commit batch closes at this many documents...") var documentsPerCommit: Int = 1_000
    @Option(help: "...or at this many MENTIONS relationships.") var relationshipsPerCommit: Int = 5_000
    @Option(help: "Rows per graph write statement (UNWIND $rows) at most.") var batchSize: Int = 5_000
    @Option(help: "Megabytes per graph write statement at most.") var batchMegabytes: Int = 8
    @Option(help: ArgumentHelp(
        "A CO_OCCURS_WITH edge exists when its two entities share at least this many windows over the corpus.",
        discussion: """
            Without it, the threshold of the earlier runs stays (\(PipelineConfiguration.defaultMinimumCooccurrence) for the first); see the README. \
            Changing it rewrites only the edges it creates or removes.
            """))
    var minCooccurrence: Int?
    @OptionGroup(title: "Communities") var communities: CommunityArguments
    @Option(help: .private) var testHoldClaimsMs: Int?
    @Option(help: .private) var testKillAfterEdgeWrites: Int?
    @Flag(help: .private) var testKillAfterCommunityWrite = false
    @Flag(help: "Print a machine-readable summary on stdout.") var json = false
    @Flag(help: "No progress lines.") var quiet = false

    func validate() throws {
        for (name, value) in [("--workers", workers), ("--documents-per-commit", documentsPerCommit),
                              ("--relationships-per-commit", relationshipsPerCommit), ("--batch-size", batchSize),
                              ("--batch-megabytes", batchMegabytes), ("--min-cooccurrence", minCooccurrence ?? 1)] where value < 1 {
            throw ValidationError("\(name) must be at least 1")
        }
    }

    /// The run's configuration, with `extractionWorkers` reading and extraction tasks.
    /// The test-only options (hidden from help) are the tests' faults.
    func configuration(extractionWorkers: Int = ProcessInfo.processInfo.activeProcessorCount) -> PipelineConfiguration {
        var configuration = PipelineConfiguration(extractionWorkers: extractionWorkers, writers: workers, documentsPerCommit: documentsPerCommit,
                                                  relationshipsPerCommit: relationshipsPerCommit, statementRows: batchSize,
                                                  statementBytes: batchMegabytes << 20, minimumCooccurrence: minCooccurrence)
        configuration.faults = TestFaults(holdAfterClaim: testHoldClaimsMs.map { .milliseconds($0) }, killAfterEdgeWrites: testKillAfterEdgeWrites,
                                          killAfterCommunityGraphWrite: testKillAfterCommunityWrite)
        // validate() checked the options.
        return (try? communities.applied(to: configuration)) ?? configuration
    }
}

extension CorpusArguments {
    /// The extractor and reader of a server-facing command; a bad gazetteer or rules file ends
    /// the command with exit 2, naming the file and line.
    func makeExtractor(_ input: CorpusInput, for command: String) throws -> (Extractor, CorpusReader) {
        try CommandRunner.configuring(command) { try makeExtractor(input) }
    }
}

extension CommandRunner {
    /// Runs `body`, which reads the command's configuration (a gazetteer, rules): what it
    /// throws, other than an argument error, ends the command with exit 2 and the error's text,
    /// which names the file and line.
    static func configuring<Value>(_ command: String, _ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let error as ValidationError {
            throw error
        } catch {
            printError("graphingest \(command): \(error)", level: .error)
            throw ExitCode(IngestExitCode.usage.rawValue)
        }
    }
}

/// The command line as a run records it (passwords are taken out by the recorder).
var recordedArguments: [String] { Array(CommandLine.arguments.dropFirst()) }
