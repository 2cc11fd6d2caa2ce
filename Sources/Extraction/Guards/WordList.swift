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
        var kept: [String] = []
        for word in words {
            if let word = Self.kept(word, kind: kind) { kept.append(word) }
        }
        self.init(kind: kind, kept: kept)
    }

    /// The list of words already trimmed and filtered.
    private init(kind: Kind, kept: [String]) {
        self.kind = kind
        self.words = kept
        // The words, each followed by a line feed, hashed in one call (a call per word was most
        // of a dictionary's load time in a debug build).
        var hash = SHA256()
        hash.update(kept.map { $0 + "\n" }.joined())
        contentHash = kept.isEmpty ? "none" : hash.hexDigest()
    }

    /// `word` trimmed, or nil when the list skips it (blank, a comment, or a word with a capital
    /// letter in a common-word list).
    private static func kept(_ word: String, kind: Kind) -> String? {
        let trimmed = String(word.trimmed)
        if trimmed.isEmpty || trimmed.hasPrefix("#") { return nil }
        if kind == .commonWords && CaseShape.hasCapital(trimmed.utf16) { return nil }
        return trimmed
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
            // 100,000 lines, and a grapheme-wise split was most of its load time. Most lines are
            // lowercase ASCII letters alone, kept as they are without the checks other lines get
            // (which were most of the rest in a debug build, paid by every run).
            bytes.withUnsafeBufferPointer { bytes in
                var start = 0
                while start < bytes.count {
                    var end = start
                    var plain = true
                    while end < bytes.count && bytes[end] != 0x0A && bytes[end] != 0x0D {
                        if bytes[end] < UInt8(ascii: "a") || bytes[end] > UInt8(ascii: "z") { plain = false }
                        end += 1
                    }
                    if end > start {
                        let line = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                        if plain {
                            words.append(line)
                        } else if let word = kept(line, kind: kind) {
                            words.append(word)
                        }
                    }
                    start = end + 1
                }
            }
        }
        return WordList(kind: kind, kept: words)
    }

    /// The function words `graphingest` uses unless told otherwise: spaCy's English stop-word list
    /// (see `DefaultFunctionWords.swift` and `scripts/word-lists`, which writes it and, for other
    /// languages, files to pass with `--function-words`).
    public static let defaultFunctionWords = WordList(kind: .functionWords, words: DefaultFunctionWords.text.split(separator: "\n").map(String.init))
}
