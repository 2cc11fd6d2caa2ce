/// Finds the aliases of a gazetteer that will make noise, before a big ingest: function and
/// common words, aliases of one or two letters, aliases shared by many entities and, given a
/// corpus, aliases the corpus mostly writes in lowercase (a common noun, not a name).
///
/// Marked aliases (a `case` of `fold` or `exact`) are the user's deliberate choice: the word checks
/// leave them out.
public struct GazetteerLint: Sendable {
    /// An alias the report names: its spelling, normalized form, entities and first line.
    public struct Alias: Sendable, Hashable, Encodable {
        /// The alias as the gazetteer first writes it.
        public var alias: String
        /// Its normalized form (NFKC, case folded, tokens joined by a space): what is matched.
        public var normalized: String
        /// The number of entities it names.
        public var entityCount: Int
        /// Some of those entities' ids (at most 5), in gazetteer order.
        public var entities: [String]
        /// The gazetteer line where it first appears.
        public var line: Int
    }

    /// How a corpus writes an alias: occurrences in lowercase and with a capital letter.
    public struct CorpusUse: Sendable, Hashable, Encodable {
        /// The alias.
        public var alias: Alias
        /// Occurrences with no capital letter.
        public var lowercase: Int
        /// Occurrences with a capital letter.
        public var capitalized: Int
    }

    /// What the lint found, by kind; each list is sorted by how many entities it touches, then
    /// alias.
    public struct Report: Sendable, Encodable {
        /// Unmarked aliases that are function words: never matched (unless `--case fold`).
        public var functionWords: [Alias] = []
        /// Unmarked capitalized aliases that are common words (and not function words): matched
        /// only inside a sentence.
        public var commonWords: [Alias] = []
        /// Aliases of one or two letters, in a script with case.
        public var short: [Alias] = []
        /// Aliases that name at least `sharedThreshold` entities.
        public var shared: [Alias] = []
        /// Unmarked capitalized aliases the corpus writes in lowercase more often than not.
        public var mostlyLowercase: [CorpusUse] = []
        /// The corpus documents read (0 without a corpus).
        public var documents: Int = 0

        /// The number of findings of every kind.
        public var findings: Int { functionWords.count + commonWords.count + short.count + shared.count + mostlyLowercase.count }
    }

    /// An alias seen while reading the gazetteer.
    private struct Seen {
        var alias: Alias
        var marked: Bool
        var capitalized: Bool
    }

    private let aliases: [String: Seen]
    private let functionWords: Set<String>
    private let commonWords: Set<String>
    private let form: TextTokenizer.Form
    /// Aliases naming at least this many entities are reported as shared.
    public let sharedThreshold: Int
    /// A corpus alias is judged on at least this many occurrences.
    public let minimumOccurrences: Int

    /// Reads the gazetteer at `path` and normalizes the word lists.
    /// - Throws: `ExtractionError` naming the file and line of a malformed gazetteer line.
    public init(gazetteerPath path: String, functionWords: WordList, commonWords: WordList, foldDiacritics: Bool = false,
                sharedThreshold: Int = 5, minimumOccurrences: Int = 5) throws(ExtractionError) {
        let form: TextTokenizer.Form = foldDiacritics ? .foldedWithoutDiacritics : .folded
        let normalizer = try TextTokenizer(form: form)
        var aliases: [String: Seen] = [:]
        for (line, entry) in try Gazetteer.entries(path: path) {
            var seenHere = Set<String>()
            for spelling in [entry.name] + entry.aliases {
                let normalized = try normalizer.normalize(spelling)
                guard !normalized.isEmpty, seenHere.insert(normalized).inserted else { continue }
                let capitalized = CaseShape.hasCapital(spelling.utf16)
                if var seen = aliases[normalized] {
                    seen.alias.entityCount += 1
                    if seen.alias.entities.count < 5 { seen.alias.entities.append(entry.id) }
                    seen.marked = seen.marked || entry.caseMark != .unmarked
                    seen.capitalized = seen.capitalized && capitalized
                    aliases[normalized] = seen
                } else {
                    aliases[normalized] = Seen(alias: Alias(alias: spelling, normalized: normalized, entityCount: 1, entities: [entry.id], line: line),
                                               marked: entry.caseMark != .unmarked, capitalized: capitalized)
                }
            }
        }
        self.aliases = aliases
        self.functionWords = Set(try functionWords.words.map { word throws(ExtractionError) in try normalizer.normalize(word) })
        self.commonWords = Set(try commonWords.words.map { word throws(ExtractionError) in try normalizer.normalize(word) })
        self.form = form
        self.sharedThreshold = sharedThreshold
        self.minimumOccurrences = minimumOccurrences
    }

    /// The report on the gazetteer alone, or with how `documents` write its aliases.
    /// - Throws: `ExtractionError` when ICU fails.
    public func report(corpus documents: some Sequence<SourceDocument> = [SourceDocument]()) throws(ExtractionError) -> Report {
        var report = Report()
        for seen in aliases.values {
            let alias = seen.alias
            if !seen.marked && functionWords.contains(alias.normalized) { report.functionWords.append(alias) }
            if !seen.marked && seen.capitalized && commonWords.contains(alias.normalized) && !functionWords.contains(alias.normalized) {
                report.commonWords.append(alias)
            }
            if Self.isShort(alias.alias) { report.short.append(alias) }
            if alias.entityCount >= sharedThreshold { report.shared.append(alias) }
        }
        var uses: [String: (lowercase: Int, capitalized: Int)] = [:]
        let candidates = aliases.values.filter { !$0.marked && $0.capitalized && !functionWords.contains($0.alias.normalized) }
        if !candidates.isEmpty {
            // `fold` and no guards: every occurrence of every alias, whatever its case.
            let gazetteer = try Gazetteer(entries: candidates.map { Gazetteer.Entry(id: $0.alias.normalized, name: $0.alias.alias, type: "") },
                                          foldDiacritics: form == .foldedWithoutDiacritics, casePolicy: .fold)
            let session = try Extractor(gazetteer: gazetteer).makeSession()
            for document in documents {
                report.documents += 1
                let scalars = Array(document.text.unicodeScalars)
                for group in try session.mentions(in: document.text) {
                    for span in group.spans {
                        let surface = String(String.UnicodeScalarView(scalars[span]))
                        let lowercase = !CaseShape.hasCapital(surface.utf16)
                        uses[group.key, default: (0, 0)].lowercase += lowercase ? 1 : 0
                        uses[group.key, default: (0, 0)].capitalized += lowercase ? 0 : 1
                    }
                }
            }
        } else {
            for _ in documents { report.documents += 1 }
        }
        for (normalized, use) in uses where use.lowercase + use.capitalized >= minimumOccurrences && use.lowercase > use.capitalized {
            if let seen = aliases[normalized] {
                report.mostlyLowercase.append(CorpusUse(alias: seen.alias, lowercase: use.lowercase, capitalized: use.capitalized))
            }
        }
        let order: (Alias, Alias) -> Bool = { $0.entityCount != $1.entityCount ? $0.entityCount > $1.entityCount : $0.normalized < $1.normalized }
        report.functionWords.sort(by: order)
        report.commonWords.sort(by: order)
        report.short.sort(by: order)
        report.shared.sort(by: order)
        report.mostlyLowercase.sort { $0.lowercase != $1.lowercase ? $0.lowercase > $1.lowercase : $0.alias.normalized < $1.alias.normalized }
        return report
    }

    /// One or two letters in a script with case ("US", "To"); two Han characters are a name.
    static func isShort(_ alias: String) -> Bool {
        let letters = alias.unicodeScalars.filter(\.properties.isAlphabetic)
        return letters.count <= 2 && letters.contains { $0.properties.changesWhenCaseMapped }
    }
}
