@testable import Extraction
import Testing

/// The case policy and the function- and common-word guards, on labelled text: `⟦...⟧` marks
/// every span that must be a mention, and nothing else may be one.
@Suite struct CasePolicyTests {
    static let precision = Fixtures.root + "/../precision"

    /// The test's own word lists (`fixtures/precision/`), so that each rule is shown on words the
    /// test names.
    static let functionWords = try! WordList.load(paths: [precision + "/function-words.txt"], kind: .functionWords)
    static let commonWords = try! WordList.load(paths: [precision + "/common-words.txt"], kind: .commonWords)

    static func extractor(_ policy: CasePolicy = .smart, functionWords: WordList = functionWords,
                          commonWords: WordList = commonWords) throws -> Extractor {
        let gazetteer = try Gazetteer.load(path: precision + "/gazetteer.tsv", casePolicy: policy)
        return try Extractor(gazetteer: gazetteer, options: ExtractionOptions(functionWords: functionWords, commonWords: commonWords))
    }

    /// The text without its marks, and the marked spans in code points.
    static func unlabel(_ labelled: String) -> (text: String, spans: [Range<Int>]) {
        var text = String.UnicodeScalarView()
        var spans: [Range<Int>] = []
        var open: Int?
        for scalar in labelled.unicodeScalars {
            switch scalar {
            case "⟦": open = text.count
            case "⟧": spans.append(open!..<text.count)
            default: text.append(scalar)
            }
        }
        return (String(text), spans)
    }

    /// The spans `extractor` finds in `labelled`'s text, with the keys, sorted.
    static func found(_ labelled: String, _ extractor: Extractor) throws -> (expected: [Range<Int>], found: [Range<Int>]) {
        let (text, spans) = unlabel(labelled)
        let mentions = try extractor.makeSession().mentions(in: text)
        let found = Set(mentions.flatMap(\.spans)).sorted { $0.lowerBound < $1.lowerBound }
        return (spans, found)
    }

    static func expectLabels(_ labelled: String, _ extractor: Extractor, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (expected, found) = try found(labelled, extractor)
        #expect(found == expected, "\(labelled)", sourceLocation: sourceLocation)
    }

    @Test func functionWordsInRunningTextAreNotMentions() throws {
        let text = "We went to the city of lights, which is far from here, and of course to the sea."
        try Self.expectLabels(text, try Self.extractor())
        // The control: `fold` is the extractor before the guards, and finds them all.
        #expect(try Self.found(text, try Self.extractor(.fold)).found.count == 5)
    }

    @Test func capitalizedFunctionWordsAreNotMentionsAnywhere() throws {
        let text = """
        To begin, read this. Is it right? None of it. The value is None, as the docs say: Of course. \
        It returns None In Python, On Tuesday.
        """
        try Self.expectLabels(text, try Self.extractor())
        try Self.expectLabels(text, try Self.extractor(.exact))
    }

    @Test func theDefaultFunctionWordsHoldToNoneAndIs() throws {
        let extractor = try Self.extractor(functionWords: .defaultFunctionWords, commonWords: .none(.commonWords))
        try Self.expectLabels("It is None. To the city ⟦Paris⟧, Is it? Of course, On and on.", extractor)
    }

    /// `See` is marked `fold` (any case, never a function word), `WAS` is marked `exact`.
    @Test func markedAliasesFollowTheirMark() throws {
        try Self.expectLabels("⟦See⟧ the map, we ⟦see⟧ it; ⟦SEE⟧ it. The ⟦WAS⟧ gene was found; it was not Was.", try Self.extractor())
    }

    @Test func aCommonWordAliasIsAMentionOnlyWhereItsCapitalIsInformative() throws {
        let text = """
        Port wine is sweet. We sailed to ⟦Port⟧ and back; the port was closed.
        # Port of call
        - Port list
        1. Port numbers
        "Port" is a word. He said: ⟦Port⟧ is near.
        THE PORT IS CLOSED
        They left ⟦Port⟧ (and ⟦Nice⟧) for ⟦Paris⟧, not PORT or NICE. Nice weather.
        """
        try Self.expectLabels(text, try Self.extractor())
    }

    @Test func casedAliasesNeedACapitalAndLowercaseAliasesMatchAnyCase() throws {
        try Self.expectLabels("⟦Paris⟧, ⟦PARIS⟧ and paris; ⟦aspirin⟧, ⟦Aspirin⟧ and ⟦ASPIRIN⟧.", try Self.extractor())
        // `exact`: only the alias's own spelling.
        try Self.expectLabels("⟦Paris⟧, PARIS and paris; ⟦aspirin⟧, Aspirin and ASPIRIN.", try Self.extractor(.exact))
        // `fold`: any case, and no guard.
        try Self.expectLabels("⟦Paris⟧, ⟦PARIS⟧ and ⟦paris⟧; ⟦Port⟧ ⟦is⟧ ⟦to⟧ the ⟦port⟧.", try Self.extractor(.fold))
    }

    /// A short mixed-case alias is a name where it is written so, an acronym where it is in
    /// capitals (GIL, OS, URI); long aliases match capitals ("PARIS", "MÜNCHEN").
    @Test func aShortMixedCaseAliasDoesNotMatchAnAcronym() throws {
        let entries = [Gazetteer.Entry(id: "gil", name: "Gil", type: "Person"), Gazetteer.Entry(id: "os", name: "Os", type: "City"),
                       Gazetteer.Entry(id: "nyc", name: "NYC", type: "City"), Gazetteer.Entry(id: "munich", name: "München", type: "City"),
                       Gazetteer.Entry(id: "uri", name: "Uri", type: "Canton", aliases: ["URI"])]
        let extractor = try Extractor(gazetteer: try Gazetteer(entries: entries))
        try Self.expectLabels("⟦Gil⟧ holds the GIL; ⟦Os⟧ is in Norway, the OS is not; ⟦NYC⟧, ⟦MÜNCHEN⟧, ⟦URI⟧ and ⟦Uri⟧.", extractor)
        let folded = try Extractor(gazetteer: try Gazetteer(entries: entries, casePolicy: .fold))
        try Self.expectLabels("⟦Gil⟧ holds the ⟦GIL⟧", folded)
    }

    @Test func aLowercaseSpellingOfTheSameEntityLetsAnyCaseMatch() throws {
        let entries = [Gazetteer.Entry(id: "paris", name: "Paris", type: "City", aliases: ["paris"])]
        let extractor = try Extractor(gazetteer: try Gazetteer(entries: entries))
        try Self.expectLabels("⟦Paris⟧ and ⟦paris⟧", extractor)
    }

    @Test func scriptsWithoutCaseAreUnchanged() throws {
        let text = "⟦東京⟧に住む。⟦トウキョウ⟧へ行きました。เมือง⟦กรุงเทพ⟧และ⟦กรุงเทพ⟧"
        try Self.expectLabels(text, try Self.extractor())
        try Self.expectLabels(text, try Self.extractor(.exact))
        try Self.expectLabels(text, try Self.extractor(.fold))
    }

    /// The README's rule for German: German capitalizes every noun, so a capital cannot tell the
    /// city Essen from the noun "das Essen". With a German common-word list (wngerman lists the
    /// verb "essen"), Essen is a common word: a mention where capitalized inside a sentence, the
    /// noun included, and not at a sentence's start.
    @Test func aGermanNounThatIsAlsoAPlaceFollowsTheCommonWordRule() throws {
        try Self.expectLabels("Essen ist schön. Wir fahren nach ⟦Essen⟧. Das ⟦Essen⟧ war gut. Wir essen.", try Self.extractor())
        // Without a common-word list it is a capitalized alias like Paris: every capitalized
        // Essen, at a sentence's start too.
        try Self.expectLabels("⟦Essen⟧ ist schön. Wir essen.", try Self.extractor(commonWords: .none(.commonWords)))
    }

    @Test func commonWordListsKeepOnlyLowercaseLines() {
        #expect(Self.commonWords.words == ["port", "date", "list", "essen", "nice"])
        #expect(Self.functionWords.words.contains("none"))
    }

    @Test func theGuardsCountTheTermsTheyTouch() throws {
        let extractor = try Self.extractor()
        // to, is, none, of, on (see is marked); port, nice, essen (paris is a name in the list).
        #expect(extractor.guardedTerms.functionWords == 5)
        #expect(extractor.guardedTerms.commonWords == 3)
        #expect(try Self.extractor(.fold).guardedTerms == (0, 0))
    }

    @Test func thePolicyAndTheWordListsAreInTheFingerprint() throws {
        let base = try Self.extractor().fingerprint
        #expect(base == (try Self.extractor().fingerprint))
        #expect(base != (try Self.extractor(.exact).fingerprint))
        #expect(base != (try Self.extractor(.fold).fingerprint))
        #expect(base != (try Self.extractor(functionWords: .defaultFunctionWords).fingerprint))
        #expect(base != (try Self.extractor(commonWords: .none(.commonWords)).fingerprint))
        #expect(base != (try Self.extractor(commonWords: WordList(kind: .commonWords, words: ["port"])).fingerprint))
    }
}
