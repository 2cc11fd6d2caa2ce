@testable import Extraction
import Foundation
import Testing

@Suite struct GazetteerLoadingTests {
    @Test func tsvWithCaseColumn() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.path("gazetteer.tsv"))
        #expect(gazetteer.entityCount == 8)
        #expect(gazetteer.skippedLines.isEmpty)
        let session = try Extractor(gazetteer: gazetteer).makeSession()
        #expect(try session.mentions(in: "us and US and the u.s. and U.S.").map(\.spans) == [[7..<9, 27..<31]])
    }

    @Test func jsonl() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.path("gazetteer.jsonl"))
        #expect(gazetteer.entityCount == 2)
        let session = try Extractor(gazetteer: gazetteer).makeSession()
        #expect(try session.mentions(in: "PANAME, us, US").map(\.key) == ["geo:paris", "geo:usa"])
    }

    @Test func badLineFailsWithFileAndLine() {
        let path = Fixtures.path("gazetteer-bad.tsv")
        let error = #expect(throws: ExtractionError.self) { try Gazetteer.load(path: path) }
        #expect(error?.description == "\(path):3: expected 4 columns, found 1")
    }

    @Test func badLinesCanBeSkipped() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.path("gazetteer-bad.tsv"), onBadLine: .skip)
        #expect(gazetteer.entityCount == 2)
        #expect(gazetteer.skippedLines.map { $0.line ?? 0 } == [3, 4])
        #expect(gazetteer.skippedLines.map(\.message) == ["expected 4 columns, found 1", "empty name"])
    }

    @Test func missingHeaderIsAnErrorEvenWhenSkipping() {
        #expect(throws: ExtractionError.self) { try Gazetteer.load(path: Fixtures.path("rules.tsv"), onBadLine: .skip) }
    }

    @Test func rulesFileLoadsAndBadPatternNamesItsLine() throws {
        #expect(try RuleSet.load(path: Fixtures.path("rules.tsv")).rules.count == 3)
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/rules.tsv"
        try "type\tpattern\tkey\nX\t[a-\t{match}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: ExtractionError.self) { try RuleSet.load(path: path) }
        #expect(error?.line == 2)
    }

    @Test func fingerprintChangesWithGazetteerRulesAndOptions() throws {
        let one = try Gazetteer(entries: [.init(id: "a", name: "A", type: "T")])
        let two = try Gazetteer(entries: [.init(id: "a", name: "B", type: "T")])
        let rules = try RuleSet.load(path: Fixtures.path("rules.tsv"))
        let base = ExtractionOptions().fingerprint(gazetteer: one, rules: .empty)
        #expect(base == ExtractionOptions().fingerprint(gazetteer: one, rules: .empty))
        #expect(base != ExtractionOptions().fingerprint(gazetteer: two, rules: .empty))
        #expect(base != ExtractionOptions().fingerprint(gazetteer: one, rules: rules))
        #expect(base != ExtractionOptions(ambiguity: .first).fingerprint(gazetteer: one, rules: .empty))
        #expect(base != ExtractionOptions().fingerprint(gazetteer: try Gazetteer(entries: [.init(id: "a", name: "A", type: "T")], foldDiacritics: true), rules: .empty))
    }

    @Test func byteOrderMarkBeforeTheHeaderIsIgnored() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/g.tsv"
        try "\u{FEFF}id\tname\ttype\taliases\r\nx\tOslo\tCity\tKristiania\r\n".write(toFile: path, atomically: true, encoding: .utf8)
        let gazetteer = try Gazetteer.load(path: path)
        #expect(try Extractor(gazetteer: gazetteer).makeSession().mentions(in: "Kristiania").map(\.key) == ["x"])
    }
}
