/// How the extractor resolves what the gazetteer leaves open.
public struct ExtractionOptions: Sendable, Hashable {
    /// What to do when one alias names several entities.
    public enum Ambiguity: String, Sendable, CaseIterable {
        /// A mention of each entity (downstream GraphRAG can disambiguate).
        case all
        /// Only the entity that comes first in the gazetteer.
        case first
    }

    /// Ambiguous aliases: a mention of each entity (default) or of the first.
    public var ambiguity: Ambiguity
    /// The word break locale ("" for the root locale).
    public var locale: String
    /// How documents are cut into the graph's chunks; nil for no chunks (`--no-chunks`).
    public var chunker: TextChunker?
    /// How entity pairs are counted; nil for none (`--no-cooccurrence`).
    public var cooccurrence: CooccurrenceOptions?
    /// Words that are never entities unless the gazetteer marks the alias (not with `--case fold`).
    public var functionWords: WordList
    /// Words whose capitalized aliases match only where the capital is informative (not with
    /// `--case fold`).
    public var commonWords: WordList

    /// Options; `graphingest extract` and `ingest` chunk with `TextChunker()` and count pairs
    /// with `CooccurrenceOptions()` unless told not to, and guard with the default word lists.
    public init(ambiguity: Ambiguity = .all, locale: String = "", chunker: TextChunker? = nil,
                cooccurrence: CooccurrenceOptions? = nil, functionWords: WordList = .none(.functionWords),
                commonWords: WordList = .none(.commonWords)) {
        self.ambiguity = ambiguity
        self.locale = locale
        self.chunker = chunker
        self.cooccurrence = cooccurrence
        self.functionWords = functionWords
        self.commonWords = commonWords
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.ambiguity == rhs.ambiguity && lhs.locale == rhs.locale && lhs.chunker == rhs.chunker && lhs.cooccurrence == rhs.cooccurrence
            && lhs.functionWords.contentHash == rhs.functionWords.contentHash && lhs.commonWords.contentHash == rhs.commonWords.contentHash
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ambiguity)
        hasher.combine(locale)
        hasher.combine(chunker)
        hasher.combine(cooccurrence)
        hasher.combine(functionWords.contentHash)
        hasher.combine(commonWords.contentHash)
    }

    /// The version of the extraction algorithm: bump it when the same input would give different
    /// mentions, so that a reindex redoes every document.
    public static let algorithmVersion = "extract-2"

    /// A hash of everything that decides the mentions, chunks and entity pairs of a document
    /// (gazetteer, rules, these options, the word lists, the chunker's and co-occurrence's, the
    /// normalization form and case policy, the ICU version and the algorithm version): when it changes, every document needs extracting again.
    public func fingerprint(gazetteer: Gazetteer, rules: RuleSet) -> String {
        var hash = SHA256()
        hash.update(fingerprintParts(gazetteer: gazetteer, rules: rules).map(\.value).joined(separator: "\n"))
        return hash.hexDigest()
    }

    /// What the fingerprint hashes, named and in order: when two workers' fingerprints differ,
    /// these say where.
    public func fingerprintParts(gazetteer: Gazetteer, rules: RuleSet) -> [(name: String, value: String)] {
        [("algorithm", Self.algorithmVersion), ("icu", ICUInfo.version), ("gazetteer", gazetteer.contentHash),
         ("normalization", "\(gazetteer.form)"), ("rules", rules.contentHash), ("ambiguous", ambiguity.rawValue),
         ("locale", locale), ("case", gazetteer.casePolicy.rawValue), ("function words", functionWords.contentHash),
         ("common words", commonWords.contentHash), ("chunks", chunker.map { "chunks " + $0.fingerprint } ?? "no chunks"),
         ("cooccurrence", cooccurrence.map { "pairs " + $0.fingerprint } ?? "no pairs")]
    }
}
