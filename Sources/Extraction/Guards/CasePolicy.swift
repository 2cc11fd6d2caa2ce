/// How the case of a document's text decides whether a gazetteer term matches. Lookup always folds
/// case (the trie holds NFKC_Casefold tokens); the policy then filters the candidates on the
/// original text.
public enum CasePolicy: String, Sendable, Hashable, CaseIterable {
    /// A term that holds an uppercase letter ("Paris", "GROSSE FREIHEIT") matches only text that is
    /// not all lowercase ("Paris", "PARIS", not "paris"); a term written all in lowercase, or in a
    /// script without case, matches any case. A short mixed-case term ("Gil") does not match an
    /// acronym (GIL). The function- and common-word guards apply.
    case smart
    /// Every term matches only its own spelling (after NFKC). The guards apply.
    case exact
    /// Any case matches any case, and no guard applies: the extractor before case policies.
    case fold
}

/// What a gazetteer term was written as, kept per term for the case policy and the guards.
struct TermFlags: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    /// The term holds an uppercase or titlecase letter.
    static let capitalized = TermFlags(rawValue: 1)
    /// The gazetteer's `case` column marks the term (`fold` or `exact`): policy and guards leave
    /// it alone.
    static let marked = TermFlags(rawValue: 2)
    /// The term is short and in mixed case ("Gil", "Os", "Uri": at most three letters, a capital
    /// and a lowercase one): written in capitals, such a word is an acronym (GIL, OS, URI).
    static let shortMixedCase = TermFlags(rawValue: 4)
}
