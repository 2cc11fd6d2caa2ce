@testable import Extraction
import Foundation
import Testing

/// `gazetteer lint` on a fixture gazetteer with planted noisy aliases (To, Port, Date, US,
/// Springfield) beside clean ones (Paris, Berlin, 東京, New York, the marked WAS and See).
@Suite struct GazetteerLintTests {
    static let precision = Fixtures.root + "/../precision"

    static func lint() throws -> GazetteerLint {
        try GazetteerLint(gazetteerPath: precision + "/lint-gazetteer.tsv", functionWords: CasePolicyTests.functionWords,
                          commonWords: CasePolicyTests.commonWords)
    }

    @Test func theGazetteerAloneReportsThePlantedAliasesAndNoCleanOne() throws {
        let report = try Self.lint().report()
        #expect(report.functionWords.map(\.normalized) == ["to"])
        #expect(report.commonWords.map(\.normalized) == ["date", "port"])
        #expect(report.short.map(\.normalized) == ["to", "us"])
        #expect(report.shared.map(\.normalized) == ["springfield"])
        #expect(report.shared.first?.entityCount == 5)
        #expect(report.shared.first?.line == 12)
        #expect(report.mostlyLowercase.isEmpty)
        #expect(report.documents == 0)
    }

    @Test func theCorpusShowsWhichAliasesItWritesInLowercase() throws {
        let reader = CorpusReader(paths: [Self.precision + "/lint-corpus"])
        let documents = reader.items().compactMap { item -> SourceDocument? in
            if case .document(let document) = item { return document }
            return nil
        }
        let report = try Self.lint().report(corpus: documents)
        #expect(report.documents == 1)
        #expect(report.mostlyLowercase.map(\.alias.normalized) == ["date"])
        #expect(report.mostlyLowercase.first?.lowercase == 5)
        #expect(report.mostlyLowercase.first?.capitalized == 1)
    }

    @Test func aMalformedLineIsAnErrorNamingItsLine() throws {
        let folder = try Fixtures.temporaryFolder()
        let path = folder + "/bad.tsv"
        try "id\tname\ttype\taliases\nx\tX\tT\t\ny\t\tT\t\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ExtractionError.self) {
            try GazetteerLint(gazetteerPath: path, functionWords: .none(.functionWords), commonWords: .none(.commonWords))
        }
        #expect(error?.line == 3)
        #expect(error?.path == path)
    }
}
