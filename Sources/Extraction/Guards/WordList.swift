/// A list of words for the extractor's guards: function words (never entities unless the
/// gazetteer marks the alias) or common words (entities only where a capital letter tells a name
/// from the word).
///
/// Files hold one word per line; blank lines and lines starting with `#` are skipped. A common-word
/// list keeps only the lines without a capital letter: dictionaries such as Debian's `wamerican`
/// list common words in lowercase and proper nouns capitalized ("paris" is not listed, "Paris" is
/// a name).
public struct WordList: Sendable {
    /// Which guard a list feeds.
    public enum Kind: String, Sendable {
        /// Closed-class words (articles, prepositions, pronouns, auxiliaries, conjunctions).
        case functionWords = "function words"
        /// Open-class words of a language ("port", "date", "list").
        case commonWords = "common words"
    }

    /// The guard this list feeds.
    public let kind: Kind
    /// The words kept, in file order.
    public let words: [String]
    /// A SHA-256 of the words kept: the extractor fingerprint's part for this list.
    public let contentHash: String

    /// A list of `words` (a common-word list drops those with a capital letter).
    public init(kind: Kind, words: some Sequence<String>) {
        self.kind = kind
        var kept: [String] = []
        for word in words {
            let trimmed = String(word.trimmed)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if kind == .commonWords && CaseShape.hasCapital(trimmed.utf16) { continue }
            kept.append(trimmed)
        }
        self.words = kept
        // The words, each followed by a line feed, hashed in one call (a call per word was most
        // of a dictionary's load time in a debug build).
        var hash = SHA256()
        hash.update(kept.map { $0 + "\n" }.joined())
        contentHash = kept.isEmpty ? "none" : hash.hexDigest()
    }

    /// An empty list: the guard is off.
    public static func none(_ kind: Kind) -> WordList { WordList(kind: kind, words: []) }

    /// The words of the files at `paths`, one list.
    /// - Throws: `ExtractionError` naming the file when one cannot be read or is not UTF-8.
    public static func load(paths: [String], kind: Kind) throws(ExtractionError) -> WordList {
        var words: [String] = []
        for path in paths {
            let bytes = try FileBytes.readText(path)
            guard String(validating: bytes, as: UTF8.self) != nil else {
                throw ExtractionError(.decoding, message: "a \(kind.rawValue) list must be UTF-8", path: path)
            }
            // Lines split on the bytes (LF, CRLF or CR), not on Characters: a dictionary has some
            // 100,000 lines, and a grapheme-wise split was most of its load time.
            for line in bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
                words.append(String(decoding: line, as: UTF8.self))
            }
        }
        return WordList(kind: kind, words: words)
    }

    /// The function words `graphingest` uses unless told otherwise: spaCy's English stop-word list
    /// (see `DefaultFunctionWords.swift` and `scripts/word-lists`, which writes it and, for other
    /// languages, files to pass with `--function-words`).
    public static let defaultFunctionWords = WordList(kind: .functionWords, words: DefaultFunctionWords.text.split(separator: "\n").map(String.init))
}
