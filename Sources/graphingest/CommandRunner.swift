import ArgumentParser
import Extraction
import Foundation
import Ingest

/// Runs a server-facing command: resolves the settings, opens the servers, and turns every
/// failure into DESIGN.md's exit codes with a message naming the server and what it answered.
enum CommandRunner {
    /// - Parameter failureCode: the exit code for a failure other than an unreachable server
    ///   (`check` exits 2 when the check itself fails); nil for DESIGN.md's default mapping.
    static func run(
        _ command: String, connection: ConnectionOptions, writers: Int = 2, batchRows: Int = 5_000, batchMegabytes: Int = 8,
        failureCode: IngestExitCode? = nil,
        _ body: (GraphIngestServers) async throws -> IngestExitCode
    ) async throws {
        let code: IngestExitCode
        do {
            let settings = try ServerSettings.resolve(
                bolt: connection.bolt, user: connection.user, database: connection.database,
                postgres: connection.postgres, dialect: connection.dialect,
                environment: ProcessInfo.processInfo.environment)
            code = try await GraphIngestServers.withServers(
                settings, writers: writers, batchRows: batchRows, batchBytes: batchMegabytes << 20, body)
        } catch {
            printError("graphingest \(command): \(FailureReport.describe(error))")
            let code = FailureReport.exitCode(for: error)
            throw ExitCode((code == .serverUnreachable ? code : failureCode ?? code).rawValue)
        }
        if code != .success {
            throw ExitCode(code.rawValue)
        }
    }

    /// Prints a summary: one line on stderr, and JSON on stdout with `--json`.
    static func report(_ command: String, summary: IngestSummary, json: Bool) {
        printError("\(command): \(summary.text)")
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            if let data = try? encoder.encode(summary) {
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}

/// Batch bounds for graph writes.
struct BatchOptions: ParsableArguments {
    @Option(help: "Rows per graph write batch.") var batchSize: Int = 5_000
    @Option(help: "Megabytes per graph write batch at most.") var batchMegabytes: Int = 8

    func validate() throws {
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
        guard batchMegabytes > 0 else { throw ValidationError("--batch-megabytes must be at least 1") }
    }
}

/// The options of the commands that run the ingest pipeline (`ingest`, `reindex`).
struct PipelineOptions: ParsableArguments {
    @Option(help: "Concurrent graph writers.") var workers: Int = 2
    @Option(help: "Documents per graph-and-registry commit.") var documentsPerCommit: Int = 1_000
    @Flag(help: "Print a machine-readable summary on stdout.") var json = false
    @Flag(help: "No progress lines.") var quiet = false

    func validate() throws {
        guard workers > 0 else { throw ValidationError("--workers must be at least 1") }
        guard documentsPerCommit > 0 else { throw ValidationError("--documents-per-commit must be at least 1") }
    }

    /// The pipeline's sizes from these options and the corpus and batch ones.
    func pipeline(_ corpus: CorpusArguments, _ batch: BatchOptions) -> IngestPipeline.Options {
        IngestPipeline.Options(extractionWorkers: corpus.workerCount, writers: workers,
                               documentsPerBatch: documentsPerCommit, relationshipsPerBatch: batch.batchSize)
    }
}

extension CorpusArguments {
    /// The extractor and reader of a server-facing command; a bad gazetteer or rules file ends
    /// the command with exit 2, naming the file and line.
    func makeExtractor(_ extraction: ExtractionOptions, for command: String) throws -> (Extractor, CorpusReader) {
        do {
            return try makeExtractor(extraction)
        } catch let error as ValidationError {
            throw error
        } catch {
            printError("graphingest \(command): \(error)")
            throw ExitCode(IngestExitCode.usage.rawValue)
        }
    }
}
