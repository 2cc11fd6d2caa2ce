import ArgumentParser
import Foundation
import Ingest

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Compare the graph with the registry; exit 0 consistent, 1 not, 2 error.",
        discussion: """
        Reads both sides range by range (--range-size ids of entities, then of documents, one \
        range in memory at a time) and reports each class of inconsistency with its count and \
        some ids. With --repair, fixes every class from the registry (the source of truth) range \
        by range, records the repair as a run, and checks again: the exit code then says whether \
        the graph is consistent after the repair. Exit 3 when a server cannot be reached. \
        --repair can run beside ingest and reindex workers: it repairs a range with its registry \
        rows locked and leaves the documents a worker touched meanwhile to it. --part K/N splits one check between N processes \
        (each takes every N-th range; part 1 also what has no id: dangling MENTIONS, \
        constraints, pair totals).

        Chunks, NEXT_CHUNK and FROM_CHUNK are checked too. Extra chunks, stray FROM_CHUNK and \
        broken NEXT_CHUNK chains are repaired in place; documents whose chunks only their text \
        can make again (missing or drifted chunks, FROM_CHUNK counts that disagree with \
        MENTIONS) are queued for re-extraction, which `graphingest reindex PATH...` carries out. \
        Give --repair the corpus (PATH... --gazetteer F [--rules F] and the options of the \
        first ingest) and it re-extracts them at once.
        """)
    @Flag(help: "Repair what differs from the registry.") var repair = false
    @Flag(help: "Print the report as JSON on stdout.") var json = false
    @Option(help: "Sample ids shown per check.") var sample: Int = 10
    @Option(name: .customLong("range-size"), help: "Ids per range read and compared at a time (memory follows it).")
    var rangeSize: Int64 = CheckRanges.defaultSize
    @Option(help: ArgumentHelp("This process's part of a check split between N processes: K/N with 1 <= K <= N, such as 1/4.", valueName: "K/N"))
    var part: CheckPart = .whole
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup(title: "Re-extraction (--repair only)") var input: CorpusInput
    @OptionGroup(title: "Re-extraction options (--repair only; as the ingest's)") var corpus: CorpusArguments
    @OptionGroup(title: "Communities (compared with a fresh computation; --repair writes what differs)") var communities: CommunityArguments

    /// This process's ranges (`validate` has checked `--range-size`).
    var ranges: CheckRanges { CheckRanges(size: rangeSize, part: part.part, parts: part.parts) }

    func validate() throws {
        guard sample >= 0 else { throw ValidationError("--sample must be at least 0") }
        guard rangeSize > 0 else { throw ValidationError("--range-size must be at least 1") }
        if !repair && (!input.paths.isEmpty || input.dictionary.gazetteer != nil) {
            throw ValidationError("a corpus is read only with --repair (to re-extract documents)")
        }
    }

    func run() async throws {
        let reextraction = try input.paths.isEmpty ? nil : corpus.makeExtractor(input, for: "check")
        let configuration = try communities.applied(to: PipelineConfiguration(extractionWorkers: corpus.workerCount, writers: 4))
        try await CommandRunner.run("check", connection: connection, configuration: configuration, failureCode: .usage) { servers in
            let job = ConsistencyJob(registry: servers.registry, database: servers.database, configuration: servers.configuration,
                                     sampleSize: sample, ranges: ranges)
            let result = repair
                ? try await job.repair(
                    arguments: recordedArguments,
                    reextraction: reextraction.map { ConsistencyReextraction(reader: $0.1, extractor: $0.0, progress: ProgressReporter(label: "check", enabled: true)) })
                : try await job.check()
            if json {
                JSONOutput.print(result)
            } else {
                for line in result.report.lines(communities: result.repair == nil ? result.communities : nil) { print(line) }
                if let summary = result.repair, let after = result.after {
                    print("repair (run \(summary.runID.map(String.init) ?? "-")): \(summary.text)")
                    if let communities = summary.communities { print("communities repaired: " + (communities.lines.last ?? "")) }
                    print("after repair:")
                    for line in after.lines(communities: result.communities) { print(line) }
                }
            }
            let awaiting = (result.after ?? result.report)[.awaitingReextraction].count
            if awaiting > 0 {
                printError("check: \(awaiting) documents need their text extracted again: run graphingest reindex PATH... "
                    + "(or check --repair PATH... --gazetteer F) with the corpus and options of the ingest")
            }
            printError("check: \(result.isConsistent ? "consistent" : "inconsistent") in \(String(format: "%.2f", result.seconds)) s")
            return result.isConsistent ? .success : .finishedWithProblems
        }
    }
}
