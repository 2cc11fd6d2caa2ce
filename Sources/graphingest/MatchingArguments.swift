import ArgumentParser
import Extraction

/// How entities are matched: the options that make an `Extractor` from a gazetteer and rules.
/// `extract`, `ingest` and `reindex` take them with their corpus options; `context` takes them
/// alone, so that a question is matched exactly as the corpus was.
struct MatchingArguments: ParsableArguments {
    /// The common-word list used unless `--common-words` or `--no-common-words` is given (Debian's
    /// `wamerican`, which `scripts/bootstrap` and `scripts/install` install).
    static let defaultCommonWords = "/usr/share/dict/american-english"

    @Flag(help: "Fold diacritics too (café matches cafe, Łódź matches Lodz).") var foldDiacritics = false
    @Option(help: "An alias naming several entities: all (a mention of each) or first (the first in the gazetteer).")
    var ambiguous: ExtractionOptions.Ambiguity = .all
    @Option(help: "A malformed gazetteer line: fail or skip.") var onBadLine: Gazetteer.BadLinePolicy = .fail
    @Option(help: "Word break locale, e.g. th or ja (default: the root locale, which already segments CJK and Thai).")
    var locale: String = ""
    @Option(name: .customLong("case"), help: ArgumentHelp(
        "Case policy: smart, exact or fold.",
        discussion: """
        smart: an alias with a capital letter matches only text with one (Paris, PARIS, not paris); \
        an all-lowercase alias matches any case. exact: only the alias's own spelling. fold: any \
        case, and no function- or common-word guard (the extractor before case policies). A \
        gazetteer `case` column of fold or exact overrides the policy and the guards for its line.
        """))
    var casePolicy: CasePolicy = .smart
    @Option(help: ArgumentHelp(
        "Function words, one per line: never entities unless the gazetteer marks the alias (repeatable).",
        discussion: "Default: spaCy's English stop words, built in; scripts/word-lists DIR writes spaCy's lists of 8 languages to pass here."))
    var functionWords: [String] = []
    @Flag(help: "No function-word guard.") var noFunctionWords = false
    @Option(help: ArgumentHelp(
        "Common words, one per line, lowercase lines only (repeatable): a capitalized alias that is one "
            + "matches only where its capital is informative (not at a sentence, line or heading start, not in an all-caps line).",
        discussion: "Default: \(Self.defaultCommonWords) (Debian's wamerican); e.g. add /usr/share/dict/ngerman for German text."))
    var commonWords: [String] = []
    @Flag(help: "No common-word guard.") var noCommonWords = false

    /// Usage errors (exit 2, as every argument error: see `GraphIngestCommand.main`).
    func validate() throws {
        if noFunctionWords && !functionWords.isEmpty { throw ValidationError("--function-words and --no-function-words exclude each other") }
        if noCommonWords && !commonWords.isEmpty { throw ValidationError("--common-words and --no-common-words exclude each other") }
    }

    /// The function-word list these arguments name.
    func functionWordList() throws(ExtractionError) -> WordList {
        if noFunctionWords { return .none(.functionWords) }
        return functionWords.isEmpty ? .defaultFunctionWords : try WordList.load(paths: functionWords, kind: .functionWords)
    }

    /// The common-word list these arguments name.
    /// - Throws: `ExtractionError` naming the file, and for the default one how to get it.
    func commonWordList() throws(ExtractionError) -> WordList {
        if noCommonWords { return .none(.commonWords) }
        do {
            return try WordList.load(paths: commonWords.isEmpty ? [Self.defaultCommonWords] : commonWords, kind: .commonWords)
        } catch where commonWords.isEmpty {
            var explained = error
            explained.message += " (the default common-word list: install Debian's wamerican, or pass --common-words FILE or --no-common-words)"
            throw explained
        }
    }

    /// The extractor of a dictionary's gazetteer and rules, with these options.
    /// - Throws: `DictionaryOptions.missingGazetteer` without a gazetteer; `ExtractionError` for
    ///   a bad gazetteer, rules or word-list file.
    func makeExtractor(_ dictionary: DictionaryOptions, chunker: TextChunker?, cooccurrence: CooccurrenceOptions? = nil) throws -> Extractor {
        guard let gazetteer = dictionary.gazetteer else { throw DictionaryOptions.missingGazetteer }
        let loaded = try Gazetteer.load(path: gazetteer, foldDiacritics: foldDiacritics, casePolicy: casePolicy, onBadLine: onBadLine)
        let rules = try dictionary.rules.map { path throws(ExtractionError) in try RuleSet.load(path: path) } ?? .empty
        let options = ExtractionOptions(ambiguity: ambiguous, locale: locale, chunker: chunker,
                                        cooccurrence: cooccurrence, functionWords: try functionWordList(), commonWords: try commonWordList())
        return try Extractor(gazetteer: loaded, rules: rules, options: options)
    }
}
