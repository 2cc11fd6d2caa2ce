import ArgumentParser

/// What a corpus command reads (the files, and which of them), and with which dictionary and
/// rules.
struct CorpusInput: ParsableArguments {
    @Argument(help: "Files or folders to read.")
    var paths: [String] = []

    @OptionGroup var dictionary: DictionaryOptions

    @Option(help: "Read only files matching this glob (repeatable; * ? [..] **; without / it matches the file name).")
    var include: [String] = []
    @Option(help: "Leave out files and folders matching this glob (repeatable).") var exclude: [String] = []
    @Option(help: ArgumentHelp("Reject files larger than this: bytes, or with K/KB, M/MB or G/GB, such as 1048576, 500KB or 64MB.", valueName: "size"))
    var maxFileSize = ByteCount(bytes: 64 << 20, description: "64MB")
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
