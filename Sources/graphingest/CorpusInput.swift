import ArgumentParser

/// What a corpus command reads, and with which dictionary and rules.
struct CorpusInput: ParsableArguments {
    @Argument(help: "Files or folders to read.")
    var paths: [String] = []

    @OptionGroup var dictionary: DictionaryOptions
}

/// The files entities are matched with: a gazetteer and, optionally, rules. Every command that
/// matches (the corpus commands, `check --repair`, `context`) declares them through this group.
struct DictionaryOptions: ParsableArguments {
    @Option(help: "Gazetteer (TSV or JSONL).")
    var gazetteer: String?

    @Option(help: "Rules (TSV: type, pattern, key).")
    var rules: String?

    /// The error of a command that matches without a gazetteer.
    static let missingGazetteer = ValidationError("--gazetteer is required")
}
