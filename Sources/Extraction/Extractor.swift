internal import CICU

/// Finds gazetteer and rule mentions in documents.
///
/// Immutable and Sendable: build one and share it. Each worker thread opens its own
/// `ExtractionSession` (ICU break iterators and regular expressions keep state, and opening them
/// is expensive), and reuses it for every document.
public struct Extractor: Sendable {
    /// The compiled gazetteer.
    public let gazetteer: Gazetteer
    /// The rules.
    public let rules: RuleSet
    /// The options.
    public let options: ExtractionOptions
    /// `options.fingerprint(gazetteer:rules:)`, computed once.
    public let fingerprint: String
    /// What each gazetteer term must show in the text (case policy, marks, word lists).
    let guards: TermGuards
    /// Whether any term has an exact form or a guard; without (`--case fold`) every term at a trie
    /// node matches, and the matcher skips the checks.
    let termsNeedChecks: Bool

    /// How many gazetteer terms the function-word list leaves out, and how many the common-word
    /// list guards (terms, not entities: one entity may have several).
    package var guardedTerms: (functionWords: Int, commonWords: Int) { (guards.functionWordTerms, guards.commonWordTerms) }

    /// What the fingerprint is made of, by name (gazetteer, rules, options): to say where two
    /// extractions differ.
    public var fingerprintParts: [String: String] {
        Dictionary(options.fingerprintParts(gazetteer: gazetteer, rules: rules).map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    /// Makes an extractor and checks that a session can be opened (ICU data present, patterns
    /// compile).
    /// - Throws: `ExtractionError` when ICU cannot open an iterator or compile a pattern.
    public init(gazetteer: Gazetteer, rules: RuleSet = .empty, options: ExtractionOptions = ExtractionOptions()) throws(ExtractionError) {
        if options.cooccurrence?.window == .chunk && options.chunker == nil {
            throw ExtractionError(.invalidOption, message: "co-occurrence in chunk windows needs chunks (drop --no-chunks, or count in sentences)")
        }
        self.gazetteer = gazetteer
        self.rules = rules
        self.options = options
        fingerprint = options.fingerprint(gazetteer: gazetteer, rules: rules)
        guards = try TermGuards(gazetteer: gazetteer, functionWords: options.functionWords, commonWords: options.commonWords)
        termsNeedChecks = !gazetteer.exactForms.isEmpty || guards.any
        _ = try makeSession()
    }

    /// Opens a session for one worker.
    public func makeSession() throws(ExtractionError) -> ExtractionSession {
        try ExtractionSession(self)
    }

    /// Extracts one document with a session of its own (convenient; for throughput, reuse a
    /// session per worker).
    public func extract(_ document: SourceDocument) throws(ExtractionError) -> ExtractedDocument {
        try makeSession().extract(document)
    }
}

/// One worker's extraction state: a tokenizer and compiled rules, reused across documents.
/// Not Sendable: keep it on one thread or task.
public final class ExtractionSession {
    private let extractor: Extractor
    private let tokenizer: TextTokenizer
    private var exactTokenizer: TextTokenizer?
    /// Cuts documents into chunks when the options ask for them.
    private let chunkerSession: TextChunkerSession?
    /// Finds sentence windows for co-occurrence (the chunker's session when there is one).
    private let sentenceSession: TextChunkerSession?
    private var pairCounter: CooccurrenceCounter?
    private let regexes: [CompiledRegex]
    private var units = UTF16Buffer()
    /// The tokens of the current document (grown as needed, reused across documents).
    private var tokens: [gi_found_token] = []
    private var found: [RawMention] = []
    /// The entities of recent documents, with their labels and their groups in the current one.
    private var entityGroups = EntityGroupIndex()

    /// A mention before grouping: a gazetteer entity (`entity >= 0`) or rule `-entity - 1`.
    private struct RawMention {
        var entity: Int32
        var start: Int32
        var end: Int32
        var utf16Start: Int32
        var utf16End: Int32
    }

    init(_ extractor: Extractor) throws(ExtractionError) {
        self.extractor = extractor
        tokenizer = try TextTokenizer(form: extractor.gazetteer.form, locale: extractor.options.locale)
        var regexes: [CompiledRegex] = []
        for rule in extractor.rules.rules {
            regexes.append(try CompiledRegex(rule.pattern))
        }
        self.regexes = regexes
        let chunkerSession = try extractor.options.chunker?.makeSession()
        self.chunkerSession = chunkerSession
        let cooccurrence = extractor.options.cooccurrence
        if cooccurrence?.window == .sentence {
            if let chunkerSession {
                sentenceSession = chunkerSession
            } else {
                sentenceSession = try TextChunker(locale: extractor.options.locale).makeSession()
            }
        } else {
            sentenceSession = nil
        }
        pairCounter = cooccurrence.map { CooccurrenceCounter(maximumEntitiesPerWindow: $0.maximumEntitiesPerWindow) }
    }

    /// Finds the mentions in a document, cuts it into chunks and counts its entity pairs when the
    /// options ask for them.
    public func extract(_ document: SourceDocument) throws(ExtractionError) -> ExtractedDocument {
        var extracted = ExtractedDocument(
            source: document.source, title: document.title, sha256: document.sha256,
            bytes: document.bytes, charset: document.charset, entities: try mentions(in: document.text)
        )
        if let chunkerSession {
            // The text is in `units` already: the chunker reuses that UTF-16 and the String's UTF-8.
            var text = document.text
            extracted.chunks = try text.withUTF8 { utf8 in
                units.withUnits { units in chunkerSession.chunks(utf8: utf8, units: units) }
            }.get()
        }
        if let cooccurrence = extractor.options.cooccurrence, extracted.entities.count >= 2 {
            let spans = extracted.entities.map(\.spans)
            switch cooccurrence.window {
            case .sentence:
                // With chunks, the chunker found the sentences already (and cut only long ones).
                let sentences: [Range<Int>]
                if let chunkerSession {
                    sentences = chunkerSession.sentencesOfLastChunkedText()
                } else {
                    sentences = try units.withUnits { units in sentenceSession!.sentences(units: units) }.get()
                }
                (extracted.pairs, extracted.cooccurrence) = pairCounter!.count(spans: spans, windows: sentences)
            case .chunk:
                // A chunk's window is its own part (after the overlap), as FROM_CHUNK assigns.
                (extracted.pairs, extracted.cooccurrence) = pairCounter!.count(
                    spans: spans, windows: ChunkMentions.ownParts(of: extracted.chunks.map { $0.start..<$0.end }))
            }
        }
        return extracted
    }

    /// The mentions in `text`, grouped by entity key and ordered by first mention.
    public func mentions(in text: String) throws(ExtractionError) -> [EntityMentions] {
        units.load(text)
        found.removeAll(keepingCapacity: true)
        try units.withUnits { units throws(ExtractionError) in
            try matchDictionary(units)
            let dictionaryCount = found.count
            if !regexes.isEmpty {
                try matchRules(units, after: dictionaryCount)
            }
        }
        return group(text)
    }

    // MARK: Dictionary

    /// Documents are tokenized in blocks of about this many UTF-16 units, cut after white space,
    /// so that a huge document does not need a huge token buffer from ICU.
    static let blockUnits = 1 << 20

    /// Tokenizes `text` block by block into `tokens`, each looked up in the gazetteer's
    /// vocabulary by the C tokenizer; returns the token count (the array only grows, and is
    /// reused across documents).
    private func tokenize(_ text: UnsafeBufferPointer<UInt16>) throws(ExtractionError) -> Int {
        // Work on a local, not on the property of this class: every access to a class property
        // in the loop would pay a dynamic exclusivity check.
        var tokens: [gi_found_token] = []
        swap(&tokens, &self.tokens)
        defer { swap(&tokens, &self.tokens) }
        var count = 0
        var blockStart = 0
        var scalarBase: Int32 = 0
        try extractor.gazetteer.vocabulary.withTable { table throws(ExtractionError) in
            while blockStart < text.count {
                let blockEnd = Self.blockEnd(text, from: blockStart)
                let block = UnsafeBufferPointer(rebasing: text[blockStart..<blockEnd])
                // A token has at least one unit, so there is room for every token at once (a
                // second run would cost as much as the first: CJK text has a token per 1.7 units).
                let room = block.count + 1
                if tokens.count < count + room {
                    tokens.append(contentsOf: repeatElement(gi_found_token(), count: max(count + room, tokens.count * 2) - tokens.count))
                }
                let produced = try tokens.withUnsafeMutableBufferPointer { all throws(ExtractionError) in
                    try tokenizer.lookUp(block, in: table, into: UnsafeMutableBufferPointer(rebasing: all[count..<count + room]))
                }
                precondition(produced <= room, "more tokens than UTF-16 units")
                let unitBase = Int32(blockStart)
                if unitBase > 0 {
                    for index in count..<count + produced {
                        tokens[index].start += unitBase
                        tokens[index].end += unitBase
                        tokens[index].scalar_start += scalarBase
                        tokens[index].scalar_end += scalarBase
                    }
                }
                count += produced
                var trails: Int32 = 0
                for unit in block where UTF16.isTrailSurrogate(unit) { trails += 1 }
                scalarBase += Int32(block.count) - trails
                blockStart = blockEnd
            }
        }
        return count
    }

    /// Where the block starting at `start` ends: after an ASCII space or line break followed by
    /// ASCII that is not white space (a word boundary in every ICU rule set), found in the last
    /// half of the block; failing that, at the block size, never inside a surrogate pair.
    static func blockEnd(_ text: UnsafeBufferPointer<UInt16>, from start: Int) -> Int {
        guard text.count - start > blockUnits else { return text.count }
        var cut = start + blockUnits
        let floor = start + blockUnits / 2
        func isSpace(_ unit: UInt16) -> Bool { unit == 0x20 || (unit >= 0x09 && unit <= 0x0D) }
        while cut > floor && !(isSpace(text[cut - 1]) && text[cut] < 0x80 && !isSpace(text[cut])) {
            cut -= 1
        }
        if cut > floor { return cut }
        cut = start + blockUnits
        return UTF16.isTrailSurrogate(text[cut]) ? cut - 1 : cut
    }

    private func matchDictionary(_ text: UnsafeBufferPointer<UInt16>) throws(ExtractionError) {
        let count = try tokenize(text)
        let gazetteer = extractor.gazetteer
        let anyChecks = extractor.termsNeedChecks
        // Mentions go to a local array: each access to the property would be checked for
        // exclusivity, and a third of the tokens can be mentions.
        var found: [RawMention] = []
        swap(&found, &self.found)
        defer { swap(&found, &self.found) }
        try gazetteer.trie.withNodes { nodes throws(ExtractionError) in
            try tokens.withUnsafeBufferPointer { tokens throws(ExtractionError) in
                var index = 0
                while index < count {
                    // The token's value is the reference of the trie node it leads to from the
                    // root (-1: none); its flags say whether terms end there and whether to go on.
                    var node = tokens[index].value
                    if node < 0 { index += 1; continue }
                    var end = index + 1
                    var bestEnd = -1
                    var bestNode: Int32 = -1
                    while true {
                        if TokenTrie.hasTerms(node) {
                            var valid = !anyChecks
                            if anyChecks {
                                var span = CandidateSpan(tokens[index], tokens[end - 1])
                                for term in nodes.termRange(node) where try accepts(term, &span, text) {
                                    valid = true
                                    break
                                }
                            }
                            if valid {
                                bestEnd = end
                                bestNode = node
                            }
                        }
                        guard TokenTrie.hasChildren(node), end < count, tokens[end].id >= 0 else { break }
                        let next = nodes.child(node, tokens[end].id)
                        if next < 0 { break }
                        node = next
                        end += 1
                    }
                    if bestEnd < 0 { index += 1; continue }
                    try emit(bestNode, nodes, tokens[index], tokens[bestEnd - 1], text, into: &found)
                    index = bestEnd
                }
            }
        }
    }

    /// A candidate match: the span of a run of tokens, with what the checks learned of its text
    /// (each learned at most once, and only when a term asks).
    private struct CandidateSpan {
        let start: Int
        let end: Int
        var exactForm: [UInt16]?
        var hasCapital: Bool?
        var hasLowercase: Bool?
        var capitalIsInformative: Bool?

        init(_ first: gi_found_token, _ last: gi_found_token) {
            start = Int(first.start)
            end = Int(last.end)
        }
    }

    /// Whether term `term` (a trie row) matches `span`: not a function word, its exact form equal
    /// for an exact term, a capital letter in the span for a capitalized term under `smart` (and a
    /// lowercase one for a short mixed-case term), and that capital informative for a common word.
    @inline(__always)
    private func accepts(_ term: Int, _ span: inout CandidateSpan, _ text: UnsafeBufferPointer<UInt16>) throws(ExtractionError) -> Bool {
        let gazetteer = extractor.gazetteer
        let checks = extractor.guards.checks[term]
        if checks.contains(.never) { return false }
        let exact = gazetteer.termExactForm[term]
        if exact >= 0 {
            if span.exactForm == nil {
                if exactTokenizer == nil { exactTokenizer = try TextTokenizer(form: .compatibility, locale: extractor.options.locale) }
                span.exactForm = try ExactForm.of(ArraySlice(text[span.start..<span.end]), using: exactTokenizer!)
            }
            if span.exactForm != gazetteer.exactForms[Int(exact)] { return false }
        }
        if checks.contains(.capital) {
            if span.hasCapital == nil { span.hasCapital = CaseShape.hasCapital(UnsafeBufferPointer(rebasing: text[span.start..<span.end])) }
            if span.hasCapital == false { return false }
        }
        if checks.contains(.lowercase) {
            if span.hasLowercase == nil { span.hasLowercase = CaseShape.hasLowercase(UnsafeBufferPointer(rebasing: text[span.start..<span.end])) }
            if span.hasLowercase == false { return false }
        }
        if checks.contains(.informativeCapital) {
            if span.capitalIsInformative == nil {
                span.capitalIsInformative = CaseShape.capitalIsInformative(text, start: span.start, end: span.end)
            }
            if span.capitalIsInformative == false { return false }
        }
        return true
    }

    private func emit(_ node: Int32, _ nodes: TokenTrie.Nodes, _ first: gi_found_token, _ last: gi_found_token, _ text: UnsafeBufferPointer<UInt16>, into found: inout [RawMention]) throws(ExtractionError) {
        var span = CandidateSpan(first, last)
        let emittedBefore = found.count
        // Without checks, the terms of a node name distinct entities (the builder keeps one
        // folding term per entity and normalized form), and all of them match.
        let anyChecks = extractor.termsNeedChecks
        let terms = nodes.termRange(node)
        for (position, term) in terms.enumerated() {
            let entity = nodes.entity(node, position)
            if anyChecks {
                if try !accepts(term, &span, text) { continue }
                if found[emittedBefore...].contains(where: { $0.entity == entity }) { continue }
            }
            found.append(RawMention(entity: entity, start: first.scalar_start, end: last.scalar_end, utf16Start: first.start, utf16End: last.end))
            if extractor.options.ambiguity == .first { break }
        }
    }

    // MARK: Rules

    private func matchRules(_ text: UnsafeBufferPointer<UInt16>, after dictionaryCount: Int) throws(ExtractionError) {
        var candidates: [RawMention] = []
        for (index, regex) in regexes.enumerated() {
            for range in try regex.matches(in: text) {
                candidates.append(RawMention(entity: -Int32(index) - 1, start: 0, end: 0, utf16Start: range.lowerBound, utf16End: range.upperBound))
            }
        }
        guard !candidates.isEmpty else { return }
        // Leftmost, then longest, then earlier rule.
        candidates.sort { a, b in
            if a.utf16Start != b.utf16Start { return a.utf16Start < b.utf16Start }
            if a.utf16End != b.utf16End { return a.utf16End > b.utf16End }
            return a.entity > b.entity
        }
        // Dictionary matches are sorted and disjoint; walk both lists together.
        let dictionary = found[0..<dictionaryCount].sorted { $0.utf16Start < $1.utf16Start }
        var dictionaryIndex = 0
        var lastEnd: Int32 = -1
        var scalar: Int32 = 0
        var unit = 0
        func scalarOffset(_ target: Int32) -> Int32 {
            while unit < Int(target) {
                if !UTF16.isTrailSurrogate(text[unit]) { scalar += 1 }
                unit += 1
            }
            // A trail surrogate right at the target belongs to the scalar before it.
            return scalar
        }
        for var candidate in candidates where candidate.utf16Start >= lastEnd {
            while dictionaryIndex < dictionary.count && dictionary[dictionaryIndex].utf16End <= candidate.utf16Start {
                dictionaryIndex += 1
            }
            if dictionaryIndex < dictionary.count && dictionary[dictionaryIndex].utf16Start < candidate.utf16End {
                continue // a dictionary match overlaps: it wins
            }
            candidate.start = scalarOffset(candidate.utf16Start)
            candidate.end = scalarOffset(candidate.utf16End)
            found.append(candidate)
            lastEnd = candidate.utf16End
        }
    }

    // MARK: Grouping

    private func group(_ text: String) -> [EntityMentions] {
        guard !found.isEmpty else { return [] }
        let gazetteer = extractor.gazetteer
        // Gazetteer mentions group by entity (no String per mention); rule mentions and entities
        // sharing a key merge by key afterwards. Work on a local: every access to a property of
        // this class in the loop would pay an exclusivity check.
        var index = EntityGroupIndex()
        swap(&index, &entityGroups)
        defer { swap(&index, &entityGroups) }
        index.startDocument()
        var groups: [EntityMentions] = []
        // Two passes: the first finds each mention's group and counts them, the second fills
        // spans arrays made with their final size (growing them one span at a time would
        // reallocate each a few times: a third of the tokens can be mentions).
        var mentionGroup = [Int32](repeating: 0, count: found.count)
        var counts: [Int] = []
        // The index entry of each gazetteer group, whose group is reset once the document is done.
        var groupedEntries: [Int] = []
        // Keys are only hashed when a rule matched: gazetteer entities that share a key already
        // share a group (that of `keyOwner`). Dictionary mentions come first in `found`, so the
        // first rule mention sees every gazetteer group.
        var byKey: [String: Int]?
        for (position, mention) in found.enumerated() {
            var group: Int
            if mention.entity >= 0 {
                let entry = index.entry(for: mention.entity, in: gazetteer)
                let owner = gazetteer.keyOwner(mention.entity)
                let ownerEntry = owner == mention.entity ? entry : index.entry(for: owner, in: gazetteer)
                group = Int(index.groups[ownerEntry])
                if group < 0 {
                    let labels = index.labels[entry]
                    if let existing = byKey?[labels.key] {
                        group = existing
                    } else {
                        group = groups.count
                        byKey?[labels.key] = group
                        groups.append(EntityMentions(key: labels.key, name: labels.name, type: labels.type, spans: []))
                        counts.append(0)
                    }
                    index.groups[ownerEntry] = Int32(group)
                    groupedEntries.append(ownerEntry)
                }
            } else {
                if byKey == nil {
                    byKey = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1.key, $0) })
                }
                let rule = extractor.rules.rules[Int(-mention.entity - 1)]
                let name = surface(mention)
                let key = rule.key(for: name)
                if let existing = byKey?[key] {
                    group = existing
                } else {
                    group = groups.count
                    byKey?[key] = group
                    groups.append(EntityMentions(key: key, name: name, type: rule.type, spans: []))
                    counts.append(0)
                }
            }
            mentionGroup[position] = Int32(group)
            counts[group] += 1
        }
        for entry in groupedEntries { index.groups[entry] = -1 }
        for index in groups.indices { groups[index].spans.reserveCapacity(counts[index]) }
        for (position, mention) in found.enumerated() {
            groups[Int(mentionGroup[position])].spans.append(Int(mention.start)..<Int(mention.end))
        }
        // Dictionary mentions come in text order, one per entity and span; only rule mentions,
        // found afterwards, can put a group's spans out of order.
        if byKey != nil {
            for index in groups.indices where groups[index].spans.count > 1 {
                groups[index].spans.sort { $0.lowerBound < $1.lowerBound || ($0.lowerBound == $1.lowerBound && $0.upperBound < $1.upperBound) }
            }
        }
        groups.sort { a, b in
            a.spans[0].lowerBound != b.spans[0].lowerBound ? a.spans[0].lowerBound < b.spans[0].lowerBound : a.key < b.key
        }
        return groups
    }

    private func surface(_ mention: RawMention) -> String {
        String(decoding: units.storage[Int(mention.utf16Start)..<Int(mention.utf16End)], as: UTF16.self)
    }
}
