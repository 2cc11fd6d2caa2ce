internal import CICU

/// A dictionary of named entities compiled for matching: entity ids, names and types, and a trie
/// over the normalized tokens of every name and alias.
///
/// Immutable once built and Sendable: one gazetteer serves every worker.
public struct Gazetteer: Sendable {
    /// One gazetteer line: an entity and the strings that name it.
    public struct Entry: Sendable, Hashable {
        /// The entity key (the gazetteer id), e.g. "geo:2988507".
        public var id: String
        /// The entity's name (it is also matched).
        public var name: String
        /// The entity type, e.g. "City".
        public var type: String
        /// Other names that are matched.
        public var aliases: [String]
        /// How the entry's terms treat case: as the case policy says, or as the gazetteer marks them.
        public var caseMark: CaseMark

        /// Makes an entry.
        public init(id: String, name: String, type: String, aliases: [String] = [], caseMark: CaseMark = .unmarked) {
            self.id = id
            self.name = name
            self.type = type
            self.aliases = aliases
            self.caseMark = caseMark
        }
    }

    /// A gazetteer line's own word on case (its `case` column), which overrides the case policy
    /// and the word guards for the line's name and aliases.
    public enum CaseMark: String, Sendable, Hashable, CaseIterable {
        /// No mark: the case policy and the function- and common-word guards decide.
        case unmarked = ""
        /// Matched in any case, and never taken for a function or common word.
        case fold
        /// Matched only with the same case (after NFKC), like "US" against "us", and never taken
        /// for a function or common word.
        case exact
    }

    /// What loading does with a malformed line.
    public enum BadLinePolicy: String, Sendable, CaseIterable {
        /// Stop with an error naming the file and line.
        case fail
        /// Leave the line out and record it in `skippedLines`.
        case skip
    }

    /// The normalization of gazetteer terms, which text must also go through.
    public let form: TextTokenizer.Form
    /// How unmarked terms treat case (see `CasePolicy`).
    public let casePolicy: CasePolicy
    var vocabulary = TokenVocabulary()
    var trie = TokenTrie()
    var keys = StringTable()
    var names = StringTable()
    var entityTypes: [Int32] = []
    /// By entity: the first entity with the same key (entities sharing a key share one group of
    /// mentions). Empty when every key is distinct, as in most gazetteers.
    var keyOwners: [Int32] = []
    var typeNames: [String] = []
    /// By term id while building: its entity (the built trie keeps the entities of each node's
    /// terms in the node's record).
    var termEntity: [Int32] = []
    /// By term, in trie-row order (`TokenTrie.Nodes.termRange` indexes them): its NFKC form when
    /// it matches only with the same case (else -1).
    var termExactForm: [Int32] = []
    var exactForms: [[UInt16]] = []
    /// By term, in trie-row order: `TermFlags` of what the term was written as.
    var termFlags: [TermFlags] = []

    /// The malformed lines that were left out under `BadLinePolicy.skip`.
    public internal(set) var skippedLines: [ExtractionError] = []
    /// A SHA-256 of what the gazetteer was built from, for `ExtractionOptions.fingerprint`.
    public internal(set) var contentHash: String = ""

    /// The number of entities.
    public var entityCount: Int { keys.count }
    /// The number of distinct (entity, normalized term) pairs.
    public var termCount: Int { termExactForm.count }
    /// Approximate bytes held by the compiled gazetteer.
    public var footprint: Int {
        vocabulary.footprint + trie.footprint + keys.footprint + names.footprint + entityTypes.capacity * 4 + keyOwners.capacity * 4 + termEntity.capacity * 4
            + termExactForm.capacity * 4 + termFlags.capacity
    }

    init(form: TextTokenizer.Form, casePolicy: CasePolicy) {
        self.form = form
        self.casePolicy = casePolicy
    }

    /// Builds a gazetteer from entries in memory.
    /// - Parameters:
    ///   - entries: the entities, in priority order (`--ambiguous first` keeps the earliest).
    ///   - foldDiacritics: whether terms (and so the text matched against them) lose diacritics.
    ///   - casePolicy: how unmarked terms treat case.
    /// - Throws: `ExtractionError` with code `.icu` when ICU fails.
    public init(entries: [Entry], foldDiacritics: Bool = false, casePolicy: CasePolicy = .smart) throws(ExtractionError) {
        var builder = try GazetteerBuilder(form: foldDiacritics ? .foldedWithoutDiacritics : .folded, casePolicy: casePolicy)
        var hash = SHA256()
        for entry in entries {
            hash.update("\(entry.id)\t\(entry.name)\t\(entry.type)\t\(entry.aliases.joined(separator: "|"))\t\(entry.caseMark.rawValue)\n")
            try builder.add(entry)
        }
        self = try builder.finish()
        contentHash = hash.hexDigest()
    }

    /// The first entity whose key is the key of entity `index`.
    @inline(__always)
    func keyOwner(_ index: Int32) -> Int32 { keyOwners.isEmpty ? index : keyOwners[Int(index)] }
    /// The key of entity `index`.
    func key(_ index: Int32) -> String { keys[Int(index)] }
    /// The name of entity `index`.
    func name(_ index: Int32) -> String { names[Int(index)] }
    /// The type of entity `index`.
    func type(_ index: Int32) -> String { typeNames[Int(entityTypes[Int(index)])] }
}

/// Compiles entries into a `Gazetteer`: terms are gathered into large blocks of text, each block
/// tokenized and normalized by one call into ICU, its tokens interned and added to the trie.
struct GazetteerBuilder {
    private var gazetteer: Gazetteer
    private let tokenizer: TextTokenizer
    private var exactTokenizer: TextTokenizer?
    private var typeIndex: [String: Int32] = [:]
    private var block: [UInt16] = []
    private var pending: [(entity: Int32, mark: Gazetteer.CaseMark, start: Int32, end: Int32)] = []
    private var path: [Int32] = []
    private var tokenIDs: [Int32] = []
    private var lastType: [UInt8] = [0xFF]
    private var lastTypeID: Int32 = 0
    private var tokenStarts: [Int32] = []
    /// The folding terms of the current entity: the node each ends at, and its term id.
    private var entityTerms: [(node: Int32, term: Int32)] = []
    private var lastEntity: Int32 = -1
    private static let blockSize = 1 << 20

    init(form: TextTokenizer.Form, casePolicy: CasePolicy) throws(ExtractionError) {
        gazetteer = Gazetteer(form: form, casePolicy: casePolicy)
        tokenizer = try TextTokenizer(form: form)
    }

    mutating func add(_ entry: Entry) throws(ExtractionError) {
        try add(id: entry.id, name: entry.name, type: entry.type, aliases: entry.aliases, mark: entry.caseMark)
    }

    typealias Entry = Gazetteer.Entry

    mutating func add(id: String, name: String, type: String, aliases: some Sequence<some StringProtocol>, mark: Gazetteer.CaseMark) throws(ExtractionError) {
        let entity = Int32(gazetteer.keys.count)
        gazetteer.keys.append(id)
        gazetteer.names.append(name)
        let typeID: Int32
        if let known = typeIndex[type] {
            typeID = known
        } else {
            typeID = Int32(gazetteer.typeNames.count)
            gazetteer.typeNames.append(type)
            typeIndex[type] = typeID
        }
        gazetteer.entityTypes.append(typeID)
        addTerm(name.utf16, entity: entity, mark: mark)
        for alias in aliases {
            addTerm(alias.utf16, entity: entity, mark: mark)
        }
        if block.count >= Self.blockSize {
            try flush()
        }
    }

    /// Adds a TSV line's entity from byte ranges of `line` (valid UTF-8).
    mutating func add(line: UnsafeBufferPointer<UInt8>, id: Range<Int>, name: Range<Int>, type: Range<Int>, aliases: [Range<Int>], mark: Gazetteer.CaseMark) throws(ExtractionError) {
        let entity = Int32(gazetteer.keys.count)
        gazetteer.keys.append(UnsafeBufferPointer(rebasing: line[id]))
        gazetteer.names.append(UnsafeBufferPointer(rebasing: line[name]))
        let typeBytes = UnsafeBufferPointer(rebasing: line[type])
        if !typeBytes.elementsEqual(lastType) {
            lastType = Array(typeBytes)
            let text = String(decoding: typeBytes, as: UTF8.self)
            if let known = typeIndex[text] {
                lastTypeID = known
            } else {
                lastTypeID = Int32(gazetteer.typeNames.count)
                gazetteer.typeNames.append(text)
                typeIndex[text] = lastTypeID
            }
        }
        gazetteer.entityTypes.append(lastTypeID)
        addTerm(utf8: UnsafeBufferPointer(rebasing: line[name]), entity: entity, mark: mark)
        for alias in aliases {
            addTerm(utf8: UnsafeBufferPointer(rebasing: line[alias]), entity: entity, mark: mark)
        }
        if block.count >= Self.blockSize {
            try flush()
        }
    }

    /// Appends a term given as valid UTF-8, transcoding it straight into the block.
    private mutating func addTerm(utf8: UnsafeBufferPointer<UInt8>, entity: Int32, mark: Gazetteer.CaseMark) {
        let start = Int32(block.count)
        var index = 0
        while index < utf8.count {
            let lead = UInt32(utf8[index])
            var scalar: UInt32
            if lead < 0x80 {
                block.append(UInt16(lead))
                index += 1
                continue
            } else if lead < 0xE0 {
                scalar = (lead & 0x1F) << 6 | UInt32(utf8[index + 1] & 0x3F)
                index += 2
            } else if lead < 0xF0 {
                scalar = (lead & 0x0F) << 12 | UInt32(utf8[index + 1] & 0x3F) << 6 | UInt32(utf8[index + 2] & 0x3F)
                index += 3
            } else {
                scalar = (lead & 0x07) << 18 | UInt32(utf8[index + 1] & 0x3F) << 12 | UInt32(utf8[index + 2] & 0x3F) << 6 | UInt32(utf8[index + 3] & 0x3F)
                index += 4
            }
            if scalar >= 0x10000 {
                scalar -= 0x10000
                block.append(UInt16(0xD800 + (scalar >> 10)))
                block.append(UInt16(0xDC00 + (scalar & 0x3FF)))
            } else {
                block.append(UInt16(scalar))
            }
        }
        pending.append((entity, mark, start, Int32(block.count)))
        block.append(0x0A)
    }

    private mutating func addTerm(_ units: some Collection<UInt16>, entity: Int32, mark: Gazetteer.CaseMark) {
        let start = Int32(block.count)
        block.append(contentsOf: units)
        pending.append((entity, mark, start, Int32(block.count)))
        // A line feed is a hard word boundary: no token spans two terms.
        block.append(0x0A)
    }

    private mutating func flush() throws(ExtractionError) {
        guard !pending.isEmpty else { return }
        let found = try block.withUnsafeBufferPointer { units throws(ExtractionError) in try tokenizer.run(units) }
        // Intern every token of the block first, in one pass over the tokenizer's buffers.
        tokenIDs.removeAll(keepingCapacity: true)
        tokenStarts.removeAll(keepingCapacity: true)
        try tokenizer.withBuffers { tokens, norm throws(ExtractionError) in
            for token in tokens {
                let start = Int(token.norm_start)
                let normalized = UnsafeBufferPointer(rebasing: norm[start..<start + Int(token.norm_length)])
                tokenIDs.append(gazetteer.vocabulary.intern(normalized, hash: token.hash))
                tokenStarts.append(token.start)
            }
        }
        var next = 0
        for term in pending {
            path.removeAll(keepingCapacity: true)
            while next < found && tokenStarts[next] < term.end {
                if tokenStarts[next] >= term.start {
                    path.append(tokenIDs[next])
                }
                next += 1
            }
            if path.isEmpty { continue } // only white space or ignorable characters
            let node = gazetteer.trie.insertPath(path)
            if term.entity != lastEntity {
                lastEntity = term.entity
                entityTerms.removeAll(keepingCapacity: true)
            }
            let exact = term.mark == .exact || term.mark == .unmarked && gazetteer.casePolicy == .exact
            var flags: TermFlags = term.mark == .unmarked ? [] : .marked
            let units = block[Int(term.start)..<Int(term.end)]
            if CaseShape.hasCapital(units) {
                flags.insert(.capitalized)
                if CaseShape.isShortMixedCase(units) { flags.insert(.shortMixedCase) }
            }
            // The same entity under the same normalized term ("Paris|PARIS") is one term, which
            // matches what any of its spellings matches ("Paris|paris": any case).
            if !exact, let known = entityTerms.first(where: { $0.node == node }) {
                let index = Int(known.term)
                if !flags.contains(.capitalized) { gazetteer.termFlags[index].remove(.capitalized) }
                if !flags.contains(.shortMixedCase) { gazetteer.termFlags[index].remove(.shortMixedCase) }
                if flags.contains(.marked) { gazetteer.termFlags[index].insert(.marked) }
                continue
            }
            let termID = Int32(gazetteer.termEntity.count)
            if !exact { entityTerms.append((node, termID)) }
            gazetteer.trie.addTerm(at: node, termID: termID)
            gazetteer.termEntity.append(term.entity)
            gazetteer.termFlags.append(flags)
            if exact {
                let form = try exactForm(Int(term.start)..<Int(term.end))
                gazetteer.termExactForm.append(Int32(gazetteer.exactForms.count))
                gazetteer.exactForms.append(form)
            } else {
                gazetteer.termExactForm.append(-1)
            }
        }
        pending.removeAll(keepingCapacity: true)
        block.removeAll(keepingCapacity: true)
    }

    /// The NFKC tokens of block[range] concatenated: what an exact-case term must equal.
    private mutating func exactForm(_ range: Range<Int>) throws(ExtractionError) -> [UInt16] {
        if exactTokenizer == nil { exactTokenizer = try TextTokenizer(form: .compatibility) }
        return try ExactForm.of(Array(block[range])[...], using: exactTokenizer!)
    }

    mutating func finish() throws(ExtractionError) -> Gazetteer {
        try flush()
        gazetteer.trie.finish(termEntities: gazetteer.termEntity)
        gazetteer.termEntity = []
        // Exact forms in the order of the trie's rows, which the trie's records index.
        let order = gazetteer.trie.takeTermOrder()
        gazetteer.termExactForm = order.map { gazetteer.termExactForm[Int($0)] }
        gazetteer.termFlags = order.map { gazetteer.termFlags[Int($0)] }
        // Each token carries the node it leads to from the root, so a match attempt starts
        // from what the tokenizer's lookup already brought into the cache.
        let trie = gazetteer.trie
        gazetteer.vocabulary.setValues { trie.child(0, $0) }
        gazetteer.vocabulary.shrink()
        gazetteer.keys.shrink()
        gazetteer.keyOwners = gazetteer.keys.firstIndicesOfEqualStrings()
        gazetteer.names.shrink()
        return gazetteer
    }
}

/// The comparison form of `case exact` terms: NFKC tokens concatenated without white space.
enum ExactForm {
    static func of(_ units: ArraySlice<UInt16>, using tokenizer: TextTokenizer) throws(ExtractionError) -> [UInt16] {
        let found = try units.withUnsafeBufferPointer { buffer throws(ExtractionError) in try tokenizer.run(buffer) }
        var form: [UInt16] = []
        for index in 0..<found {
            tokenizer.withNormalized(index) { form.append(contentsOf: $0) }
        }
        return form
    }
}
