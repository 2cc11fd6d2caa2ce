import ArgumentParser
import Extraction
import Logging

/// `graphingest gazetteer ...`: tools for the gazetteer itself, before an ingest.
struct GazetteerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gazetteer", abstract: "Tools for curating a gazetteer.", subcommands: [GazetteerLintCommand.self])
}

/// `graphingest gazetteer lint GAZETTEER [CORPUS...] [--json]`: the aliases that will make noise.
struct GazetteerLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "Report the aliases of a gazetteer that will make noise.",
        discussion: """
        Reports unmarked aliases that are function words (never matched) or common words (matched \
        only inside a sentence), aliases of one or two letters, aliases shared by --shared or more \
        entities and, given a corpus, capitalized aliases the corpus writes in lowercase more often \
        than not (at least --min-occurrences times). Give it the word-list options of the ingest. \
        Exit 0 when it finds nothing, 1 when it reports something, 2 for a bad file or option.
        """)
    @Argument(help: "The gazetteer (TSV or JSONL).") var gazetteer: String
    @Argument(help: "Files or folders of the corpus, to count how it writes each alias.") var corpus: [String] = []
    @OptionGroup var matching: MatchingArguments
    @Option(help: "The id field of JSONL/CSV records.") var idField: String = "id"
    @Option(help: "The text field of JSONL/CSV records.") var textField: String = "text"
    @Option(help: "Report aliases naming at least this many entities.") var shared: Int = 5
    @Option(help: "Judge a corpus alias on at least this many occurrences.") var minOccurrences: Int = 5
    @Option(help: "Aliases listed per kind in the text report (the JSON has all).") var limit: Int = 20
    @Flag(help: "Print the whole report as one JSON object on stdout.") var json = false

    func validate() throws {
        guard shared >= 2 else { throw ValidationError("--shared must be at least 2") }
        guard minOccurrences >= 1 else { throw ValidationError("--min-occurrences must be at least 1") }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let lint = try CommandRunner.configuring("gazetteer lint") {
            try GazetteerLint(gazetteerPath: gazetteer, functionWords: try matching.functionWordList(),
                              commonWords: try matching.commonWordList(), foldDiacritics: matching.foldDiacritics,
                              sharedThreshold: shared, minimumOccurrences: minOccurrences)
        }
        let reader = CorpusReader(paths: corpus, options: CorpusReader.Options(idField: idField, textField: textField))
        var rejected = 0
        let documents = corpus.isEmpty ? AnySequence([]) : AnySequence(reader.items().lazy.compactMap { item -> SourceDocument? in
            switch item {
            case .document(let document): return document
            case .rejected(let rejection):
                rejected += 1
                printError("gazetteer lint: \(rejection)", level: .warning)
                return nil
            }
        })
        let report = try CommandRunner.configuring("gazetteer lint") { try lint.report(corpus: documents) }
        if json {
            JSONOutput.print(report)
        } else {
            print(Self.lines(report, limit: limit).joined(separator: "\n"))
        }
        printError("gazetteer lint: \(report.findings) finding\(report.findings == 1 ? "" : "s")"
            + (corpus.isEmpty ? "" : " (\(report.documents) documents read, \(rejected) rejected)"))
        if report.findings > 0 { throw ExitCode(1) }
    }

    static func lines(_ report: GazetteerLint.Report, limit: Int) -> [String] {
        func describe(_ alias: GazetteerLint.Alias) -> String {
            "  \(alias.alias)\tline \(alias.line)\t\(alias.entityCount) entit\(alias.entityCount == 1 ? "y" : "ies"): \(alias.entities.joined(separator: ", "))"
        }
        var lines: [String] = []
        for (title, aliases) in [("function words (never matched unless the line is marked)", report.functionWords),
                                 ("common words (matched only inside a sentence, capitalized)", report.commonWords),
                                 ("one or two letters", report.short), ("shared by many entities", report.shared)] where !aliases.isEmpty {
            lines.append("\(title): \(aliases.count)")
            lines += aliases.prefix(limit).map(describe)
        }
        if !report.mostlyLowercase.isEmpty {
            lines.append("mostly lowercase in the corpus: \(report.mostlyLowercase.count)")
            lines += report.mostlyLowercase.prefix(limit).map { "\(describe($0.alias))\tlowercase \($0.lowercase), capitalized \($0.capitalized)" }
        }
        return lines
    }
}
