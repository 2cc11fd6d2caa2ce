/// What each gazetteer term must show in the text before it matches, from the case policy, the
/// gazetteer's marks and the word lists: computed once per extractor, read per candidate match.
struct TermGuards: Sendable {
    /// The checks of one term.
    struct Checks: OptionSet, Sendable {
        let rawValue: UInt8
        /// The span must hold a capital letter (`smart`, a capitalized term).
        static let capital = Checks(rawValue: 1)
        /// Never matched: an unmarked function word.
        static let never = Checks(rawValue: 2)
        /// The span's capital letter must tell a name from a common word: not at the start of a
        /// sentence, a line or a heading, not in an all-caps line.
        static let informativeCapital = Checks(rawValue: 4)
        /// The span must hold a lowercase letter (`smart`, a short mixed-case term: not an acronym).
        static let lowercase = Checks(rawValue: 8)
    }

    /// By term, in trie-row order.
    let checks: [Checks]
    /// Whether any term has a check (else every candidate matches, as with `fold`).
    let any: Bool
    /// The number of terms left out as function words and guarded as common words (for lint and
    /// figures).
    let functionWordTerms: Int
    let commonWordTerms: Int

    init(gazetteer: Gazetteer, functionWords: WordList, commonWords: WordList) throws(ExtractionError) {
        var checks = [Checks](repeating: [], count: gazetteer.termCount)
        var functionWordTerms = 0
        var commonWordTerms = 0
        let guarded = gazetteer.casePolicy != .fold
        if guarded {
            for (term, flags) in gazetteer.termFlags.enumerated() where !flags.contains(.marked) {
                if gazetteer.casePolicy == .smart && flags.contains(.capitalized) && gazetteer.termExactForm[term] < 0 {
                    checks[term].insert(.capital)
                    if flags.contains(.shortMixedCase) { checks[term].insert(.lowercase) }
                }
            }
            for term in try gazetteer.termRows(named: commonWords.words) where !gazetteer.termFlags[term].contains(.marked)
                && gazetteer.termFlags[term].contains(.capitalized) {
                if !checks[term].contains(.informativeCapital) { commonWordTerms += 1 }
                checks[term].insert(.informativeCapital)
            }
            for term in try gazetteer.termRows(named: functionWords.words) where !gazetteer.termFlags[term].contains(.marked) {
                if !checks[term].contains(.never) { functionWordTerms += 1 }
                checks[term].insert(.never)
            }
        }
        self.checks = checks
        any = checks.contains { !$0.isEmpty }
        self.functionWordTerms = functionWordTerms
        self.commonWordTerms = commonWordTerms
    }
}
