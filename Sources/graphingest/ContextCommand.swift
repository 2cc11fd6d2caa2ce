import ArgumentParser
import Foundation
import Ingest

/// `graphingest context TEXT --gazetteer F [--rules F] [--limit N] [--global [--level N]] [--json]`:
/// the chunks a question's entities lead to, ranked, with their text and communities; with
/// `--global`, the communities of one level ranked for the question. It needs only the graph
/// database.
struct ContextCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context", abstract: "The chunks a question's entities lead to, ranked, with their text.",
        discussion: """
        Finds the entities of TEXT with the gazetteer and rules (give the same files and matching \
        options as the ingest), then the chunks they lead to through FROM_CHUNK, ranked by the \
        number of distinct question entities in the chunk, then the sum of their mentions in it, \
        then how strongly the chunk's other entities co-occur with the question's (CO_OCCURS_WITH \
        counts, among the best candidates), then document id and chunk index; no model is involved, and the same graph gives the same \
        answer. Prints each chunk's document source, index, entities and text, or with --json one \
        object for a prompt builder: {question, entities, chunks: [...]}. A question with no \
        known entity is said so on stderr, with exit 0 and no chunks. The communities of the \
        question's entities follow the chunks, finest level first.

        With --global: the input of a global search's map step. The communities of one level \
        (--level, default the coarsest) are ranked by how many of the question's entities they \
        hold, then by how well their title and summary (a loaded report's, where there is one) \
        match the question's words (each word weighs ln(1 + N/df) over the level's N \
        communities), then by their number of documents, then id; --limit of them are printed \
        with their summaries. A question with no entity and no matching word ranks by documents.
        """)
    @Argument(help: "The question (or any text) to find passages for.") var text: String
    @OptionGroup var dictionary: DictionaryOptions
    @OptionGroup var matching: MatchingArguments
    @Option(help: "The most chunks to return (with --global: the most communities).") var limit: Int = 5
    @Flag(help: "Rank the communities of one level for the question instead of returning chunks.") var global = false
    @Option(help: "With --global: the community level to rank (0 the finest; default the coarsest).") var level: Int?
    @Flag(help: "Print the result as one JSON object on stdout.") var json = false
    @OptionGroup var graph: GraphOptions

    func validate() throws {
        guard dictionary.gazetteer != nil else { throw DictionaryOptions.missingGazetteer }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        if level != nil && !global { throw ValidationError("--level needs --global") }
        if let level, level < 0 { throw ValidationError("--level must be at least 0") }
    }

    func run() async throws {
        let extractor = try CommandRunner.configuring("context") {
            try matching.makeExtractor(dictionary, chunker: nil)
        }
        let job = ContextJob(extractor: extractor, limit: limit)
        let started = ContinuousClock.now
        try await CommandRunner.runOnGraph("context", graph: graph) { database in
            if global {
                let result = try await job.runGlobal(question: text, level: level, on: database)
                if json { JSONOutput.print(result) } else if result.emptyReason == nil { for line in result.lines { print(line) } }
                if let reason = result.emptyReason { printError("context: \(reason)") }
                printError("context: \(result.communities.count) of \(result.candidates) communities in "
                    + "\(String(format: "%.2f", (ContinuousClock.now - started).seconds)) s")
                return .success
            }
            let result = try await job.run(question: text, on: database)
            if json {
                JSONOutput.print(result)
            } else if result.emptyReason == nil {
                for line in result.lines { print(line) }
            }
            if let reason = result.emptyReason { printError("context: \(reason)") }
            printError("context: \(result.chunks.count) chunk\(result.chunks.count == 1 ? "" : "s") for \(result.entities.count) "
                + "question entit\(result.entities.count == 1 ? "y" : "ies") in \(String(format: "%.2f", (ContinuousClock.now - started).seconds)) s")
            return .success
        }
    }
}
