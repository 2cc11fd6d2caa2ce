import ArgumentParser
import Extraction

/// How entities are matched: the options that make an `Extractor` from a gazetteer and rules.
/// `extract`, `ingest` and `reindex` take them with their corpus options; `context` takes them
/// alone, so that a question is matched exactly as the corpus was.
struct MatchingArguments: ParsableArguments {
    @Flag(help: "Fold diacritics too (café matches cafe, Łódź matches Lodz).") var foldDiacritics = false
    @Option(help: "An alias naming several entities: all (a mention of each) or first (the first in the gazetteer).")
    var ambiguous: String = "all"
    @Option(help: "A malformed gazetteer line: fail or skip.") var onBadLine: String = "fail"
    @Option(help: "Word break locale, e.g. th or ja (default: the root locale, which already segments CJK and Thai).")
    var locale: String = ""

    /// Usage errors (exit 2, as every argument error: see `GraphIngestCommand.main`).
    func validate() throws {
        guard ExtractionOptions.Ambiguity(rawValue: ambiguous) != nil else { throw ValidationError("--ambiguous must be all or first") }
        guard Gazetteer.BadLinePolicy(rawValue: onBadLine) != nil else { throw ValidationError("--on-bad-line must be fail or skip") }
    }

    /// The extractor of a gazetteer file and an optional rules file, with these options.
    /// - Throws: `ExtractionError` for a bad gazetteer or rules file.
    func makeExtractor(gazetteer: String, rules: String?, chunker: TextChunker?, cooccurrence: CooccurrenceOptions? = nil) throws(ExtractionError) -> Extractor {
        let gazetteer = try Gazetteer.load(path: gazetteer, foldDiacritics: foldDiacritics, onBadLine: Gazetteer.BadLinePolicy(rawValue: onBadLine) ?? .fail)
        let rules = try rules.map { path throws(ExtractionError) in try RuleSet.load(path: path) } ?? .empty
        let options = ExtractionOptions(ambiguity: ExtractionOptions.Ambiguity(rawValue: ambiguous) ?? .all, locale: locale, chunker: chunker,
                                        cooccurrence: cooccurrence)
        return try Extractor(gazetteer: gazetteer, rules: rules, options: options)
    }
}
