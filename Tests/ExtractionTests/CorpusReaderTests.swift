@testable import Extraction
import Foundation
import Testing

@Suite struct CorpusReaderTests {
    static func readAll(_ paths: [String], options: CorpusReader.Options = .init()) -> (documents: [SourceDocument], rejections: [SourceRejection]) {
        let reader = CorpusReader(paths: paths, options: options)
        let (files, missing) = reader.files()
        var documents: [SourceDocument] = []
        var rejections = missing
        for file in files {
            for item in reader.read(file) {
                switch item {
                case .document(let document): documents.append(document)
                case .rejected(let rejection): rejections.append(rejection)
                }
            }
        }
        return (documents, rejections)
    }

    @Test func walkIsSortedSkipsHiddenFilesAndLinksOutOfTheRoot() {
        let files = CorpusReader(paths: [Fixtures.path("corpus")]).files().files.map(\.source)
        #expect(files == [
            "a.md", "b.txt", "binary.txt", "c.html", "empty.txt", "inside-link.txt", "invalid-utf8.txt",
            "latin1.txt", "sub/records.jsonl", "sub/table.csv", "utf16.txt",
        ])
    }

    @Test func includeAndExcludeGlobs() {
        let options = CorpusReader.Options(include: [Glob("*.txt"), Glob("sub/**")], exclude: [Glob("b*"), Glob("*.csv")])
        let files = CorpusReader(paths: [Fixtures.path("corpus")], options: options).files().files.map(\.source)
        #expect(files == ["empty.txt", "inside-link.txt", "invalid-utf8.txt", "latin1.txt", "sub/records.jsonl", "utf16.txt"])
    }

    @Test(arguments: [
        ("*.txt", "a/b.txt", true), ("*.txt", "b.md", false), ("sub/*.csv", "sub/t.csv", true),
        ("sub/*.csv", "sub/x/t.csv", false), ("**/*.csv", "t.csv", true), ("**/*.csv", "a/b/t.csv", true),
        ("file?.[mt]d", "file1.md", true), ("file?.[!m]d", "file1.md", false),
    ])
    func glob(pattern: String, path: String, matches: Bool) {
        #expect(Glob(pattern).matches(path) == matches)
    }

    @Test func encodingsAreDetectedAndRecorded() {
        let (documents, _) = Self.readAll([Fixtures.path("corpus/latin1.txt"), Fixtures.path("corpus/utf16.txt")])
        #expect(documents.map(\.charset) == ["ISO-8859-1", "UTF-16LE"])
        #expect(documents[0].text.hasPrefix("Café au lait à Paris"))
        #expect(documents[1].text == "Tokyo and Paris\n")
        #expect(documents[1].bytes == 34)
    }

    @Test(arguments: [
        ([0xFE, 0xFF, 0x00, 0x50, 0x00, 0x61] as [UInt8], "UTF-16BE", "Pa"),
        ([0xEF, 0xBB, 0xBF, 0x50, 0x61], "UTF-8", "Pa"),
        ([0xFF, 0xFE, 0, 0, 0x50, 0, 0, 0], "UTF-32LE", "P"),
        ([], "UTF-8", ""),
    ])
    func byteOrderMarksDecide(bytes: [UInt8], charset: String, text: String) throws {
        let decoded = try bytes.withUnsafeBufferPointer { TextDecoder().decode($0) }.get()
        #expect(decoded.charset == charset)
        #expect(decoded.text == text)
    }

    @Test func badFilesAreRejectedWithAReason() {
        let (documents, rejections) = Self.readAll([
            Fixtures.path("corpus/binary.txt"), Fixtures.path("corpus/invalid-utf8.txt"),
            Fixtures.path("corpus/empty.txt"), Fixtures.path("corpus/no-such-file.txt"),
        ])
        #expect(documents.map(\.title) == ["empty.txt"])
        #expect(documents.first?.text == "")
        #expect(rejections.map(\.reason) == [
            "no such file or folder", "binary file (NUL bytes)",
            "invalid UTF-8 (well-formed multi-byte sequences next to ill-formed ones)",
        ])
        #expect(rejections[1].description.hasSuffix("corpus/binary.txt: binary file (NUL bytes)"))
    }

    @Test func fileOverTheSizeLimitIsRejectedWithoutReadingIt() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/huge.txt"
        // A sparse 100 MB file: no disk space, and it must be rejected before it is read.
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 100 << 20)
        try handle.close()
        let (documents, rejections) = Self.readAll([path])
        #expect(documents.isEmpty)
        #expect(rejections.map(\.reason) == ["larger than the 64 MB limit (104857600 bytes)"])
    }

    @Test func recordsOfJSONLAndCSV() {
        let (documents, rejections) = Self.readAll([Fixtures.path("corpus/sub")])
        #expect(documents.map { $0.source.split(separator: "/").last.map(String.init) ?? "" } == ["records.jsonl#r1", "records.jsonl#r2", "table.csv#1", "table.csv#2"])
        #expect(documents.map(\.title) == ["Record one", "ภาษาไทยง่ายนิดเดียว", "Paris, again", "multi"])
        #expect(documents[3].text == "multi\nline NYC")
        #expect(rejections.map(\.description).map { $0.split(separator: "/").last.map(String.init) ?? "" } == [
            "records.jsonl:3: malformed record: not a JSON object",
            "records.jsonl:4: malformed record: no string 'text' field",
            "table.csv:5: malformed record: expected 2 fields, found 1",
        ])
    }

    @Test func otherIdAndTextFields() throws {
        let folder = try Fixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try #"{"doc":7,"body":"Paris"}"#.write(toFile: folder + "/x.jsonl", atomically: true, encoding: .utf8)
        let (documents, _) = Self.readAll([folder], options: CorpusReader.Options(idField: "doc", textField: "body"))
        #expect(documents.map(\.source) == ["x.jsonl#7"])
    }

    @Test func htmlVisibleText() {
        let (documents, _) = Self.readAll([Fixtures.path("corpus/c.html")])
        let document = documents[0]
        #expect(document.title == "Paname & more")
        #expect(document.text == "Visiting Paris\n\nCafé in Paname today.\n\nTokyo 🗼 trip")
        #expect(!document.text.contains("color"))
        #expect(!document.text.contains("var"))
    }

    @Test func markdownTitleIsTheFirstHeading() {
        let (documents, _) = Self.readAll([Fixtures.path("corpus/a.md")])
        #expect(documents[0].title == "Trip to New York City")
        #expect(documents[0].sha256 == SHA256.hex(Array((try? Data(contentsOf: URL(fileURLWithPath: Fixtures.path("corpus/a.md")))) ?? Data())))
    }
}

@Suite struct CorpusReaderItemsTests {
    @Test func itemsMatchFilesThenRead() {
        let reader = CorpusReader(paths: [Fixtures.path("corpus/sub"), Fixtures.path("nothing-here")])
        let items = Array(reader.items())
        #expect(items.count == 1 + 4 + 3)
        guard case .rejected(let first) = items.first else {
            Issue.record("a missing path comes first")
            return
        }
        #expect(first.reason == "no such file or folder")
    }
}
