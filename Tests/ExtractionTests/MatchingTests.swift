@testable import Extraction
import Testing

@Suite struct MatchingTests {
    static func mentions(_ text: String, _ entries: [Gazetteer.Entry], rules: [RuleSet.Rule] = [], ambiguity: ExtractionOptions.Ambiguity = .all, foldDiacritics: Bool = false, casePolicy: CasePolicy = .smart) throws -> [EntityMentions] {
        let gazetteer = try Gazetteer(entries: entries, foldDiacritics: foldDiacritics, casePolicy: casePolicy)
        let extractor = try Extractor(gazetteer: gazetteer, rules: try RuleSet(rules: rules), options: ExtractionOptions(ambiguity: ambiguity))
        let found = try extractor.makeSession().mentions(in: text)
        // Every span must be a surface form of the entity's name or an alias under normalization.
        let scalars = Array(text.unicodeScalars)
        let tokenizer = try TextTokenizer(form: gazetteer.form)
        for group in found {
            let forms = Set(try entries.filter { $0.id == group.key }.flatMap { [$0.name] + $0.aliases }.map { try tokenizer.normalize($0) })
            for span in group.spans {
                let surface = String(String.UnicodeScalarView(scalars[span]))
                if !forms.isEmpty { #expect(forms.contains(try tokenizer.normalize(surface)), "\(surface) at \(span)") }
            }
        }
        return found
    }

    static func surfaces(_ text: String, _ found: [EntityMentions]) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return found.flatMap { group in group.spans.map { String(String.UnicodeScalarView(scalars[$0])) } }
    }

    static let cities = [
        Gazetteer.Entry(id: "nyc", name: "New York City", type: "City"),
        Gazetteer.Entry(id: "ny", name: "New York", type: "State"),
        Gazetteer.Entry(id: "paris", name: "Paris", type: "City", aliases: ["Paname"]),
        Gazetteer.Entry(id: "tokyo", name: "東京", type: "City"),
        Gazetteer.Entry(id: "ist", name: "İstanbul", type: "City"),
        Gazetteer.Entry(id: "strasse", name: "Hauptstraße", type: "Street"),
        Gazetteer.Entry(id: "sisyphus", name: "Σίσυφος", type: "Person"),
        Gazetteer.Entry(id: "thai", name: "ไทย", type: "Language"),
        Gazetteer.Entry(id: "cairo", name: "القاهرة", type: "City"),
        Gazetteer.Entry(id: "jlm", name: "ירושלים", type: "City"),
        Gazetteer.Entry(id: "finland", name: "ﬁnland", type: "Country"),
        Gazetteer.Entry(id: "cafe", name: "Café de Flore", type: "Place"),
    ]

    @Test func leftmostLongestOnTokenBoundaries() throws {
        let text = "New York City beats New York; Parisian is not Paris."
        let found = try Self.mentions(text, Self.cities)
        #expect(found.map(\.key) == ["nyc", "ny", "paris"])
        #expect(Self.surfaces(text, found) == ["New York City", "New York", "Paris"])
    }

    @Test func multiWordTermsMatchAcrossWhiteSpaceAndLineBreaks() throws {
        let text = "in New\n   York City\r\ntoday"
        #expect(Self.surfaces(text, try Self.mentions(text, Self.cities)) == ["New\n   York City"])
    }

    @Test(arguments: [
        ("Ｐａｒｉｓ ｉｓ ｆｕｌｌ-ｗｉｄｔｈ", "paris", "Ｐａｒｉｓ"),
        ("FINLAND and ﬁnland", "finland", "FINLAND"),
        ("İSTANBUL", "ist", "İSTANBUL"),
        ("Istanbul", "ist", "Istanbul"),
        ("HAUPTSTRASSE 5", "strasse", "HAUPTSTRASSE"),
        ("ΣΊΣΥΦΟΣ", "sisyphus", "ΣΊΣΥΦΟΣ"),
        ("Cafe\u{301} de Flore", "cafe", "Cafe\u{301} de Flore"),
        ("東京都に住む", "tokyo", "東京"),
        ("ภาษาไทยง่ายนิดเดียว", "thai", "ไทย"),
        ("زرت القاهرة أمس", "cairo", "القاهرة"),
        ("נסעתי לירושלים וגם ירושלים", "jlm", "ירושלים"),
        ("I ❤️Paris🎉", "paris", "Paris"),
        ("👩‍👩‍👧 Paname", "paris", "Paname"),
    ])
    func unicode(text: String, key: String, surface: String) throws {
        let found = try Self.mentions(text, Self.cities)
        #expect(found.first?.key == key)
        #expect(Self.surfaces(text, found).first == surface)
    }

    @Test func dotlessIDoesNotMatchWithoutDiacriticFolding() throws {
        // Lowercase text: `fold`, so that only the diacritics decide.
        #expect(try Self.mentions("ıstanbul", Self.cities, casePolicy: .fold).isEmpty)
        #expect(try Self.mentions("ıstanbul", Self.cities, foldDiacritics: true, casePolicy: .fold).map(\.key) == ["ist"])
        #expect(try Self.mentions("cafe de flore", Self.cities, casePolicy: .fold).isEmpty)
        #expect(try Self.mentions("cafe de flore", Self.cities, foldDiacritics: true, casePolicy: .fold).map(\.key) == ["cafe"])
    }

    @Test func ambiguousAliasesGiveAMentionOfEachOrTheFirst() throws {
        let entries = [
            Gazetteer.Entry(id: "paris-fr", name: "Paris", type: "City"),
            Gazetteer.Entry(id: "paris-tx", name: "Paris", type: "City", aliases: ["Paris, Texas"]),
        ]
        let all = try Self.mentions("Paris is big", entries)
        #expect(all.map(\.key) == ["paris-fr", "paris-tx"])
        #expect(try Self.mentions("Paris is big", entries, ambiguity: .first).map(\.key) == ["paris-fr"])
        #expect(try Self.mentions("Paris, Texas", entries).map(\.key) == ["paris-tx"])
    }

    @Test func exactCaseEntries() throws {
        let entries = [
            Gazetteer.Entry(id: "usa", name: "US", type: "Country", caseMark: .exact),
            Gazetteer.Entry(id: "who", name: "WHO", type: "Org", caseMark: .exact),
        ]
        let text = "let us go to the US; who knows the WHO or ＵＳ"
        let found = try Self.mentions(text, entries)
        #expect(Self.surfaces(text, found) == ["US", "ＵＳ", "WHO"])
    }

    @Test func offsetsCountScalarsNotUTF16() throws {
        let text = "𝕏😀 Paris"
        let found = try Self.mentions(text, Self.cities)
        #expect(found.first?.spans == [3..<8])
    }

    @Test func rulesLoseToDictionaryOnOverlap() throws {
        let rules = [
            RuleSet.Rule(type: "Email", pattern: #"[\w.+-]+@[\w-]+(\.[\w-]+)+"#, key: "email:{lower}"),
            RuleSet.Rule(type: "Word", pattern: #"\bParis\w*"#, key: "word:{match}"),
            RuleSet.Rule(type: "CVE", pattern: #"CVE-\d{4}-\d{4,}"#, key: "cve:{match}"),
        ]
        let text = "Mail Bob@Example.ORG about CVE-2024-12345 in Paris and Parisian 😀 cve"
        let found = try Self.mentions(text, Self.cities, rules: rules)
        #expect(found.map(\.key) == ["email:bob@example.org", "cve:CVE-2024-12345", "paris", "word:Parisian"])
        #expect(found[0].name == "Bob@Example.ORG")
        #expect(Self.surfaces(text, found) == ["Bob@Example.ORG", "CVE-2024-12345", "Paris", "Parisian"])
    }

    @Test func mentionsOfOneKeyAreOneGroup() throws {
        // Two gazetteer lines with the same id, and a rule whose keys can be gazetteer keys: one
        // group per key, named after its first mention found (dictionary before rules), spans
        // in text order, groups by first span.
        let entries = [
            Gazetteer.Entry(id: "geo:1", name: "Lutetia", type: "City"),
            Gazetteer.Entry(id: "geo:2", name: "Lyon", type: "City"),
            Gazetteer.Entry(id: "geo:1", name: "Paris", type: "Capital"),
        ]
        let rules = try RuleSet(rules: [RuleSet.Rule(type: "Code", pattern: #"\b\d\b"#, key: "geo:{match}")])
        let extractor = try Extractor(gazetteer: try Gazetteer(entries: entries), rules: rules)
        let found = try extractor.makeSession().mentions(in: "1 Paris G Lutetia Lyon Paris 3 2")
        #expect(found.map(\.key) == ["geo:1", "geo:2", "geo:3"])
        #expect(found.map(\.name) == ["Paris", "Lyon", "3"])
        #expect(found.map(\.type) == ["Capital", "City", "Code"])
        #expect(found.map(\.spans) == [[0..<1, 2..<7, 10..<17, 23..<28], [18..<22, 31..<32], [29..<30]])
    }

    @Test func badRulePatternIsAnError() {
        #expect(throws: ExtractionError.self) { try RuleSet(rules: [RuleSet.Rule(type: "X", pattern: "(", key: "{match}")]) }
    }
}
