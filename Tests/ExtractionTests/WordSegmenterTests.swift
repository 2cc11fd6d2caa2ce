import Extraction
import Testing

@Suite struct WordSegmenterTests {
    @Test func segmenterIsReusedAcrossTexts() throws {
        let segmenter = try WordSegmenter()
        #expect(try segmenter.words(in: "New York City") == ["New", "York", "City"])
        #expect(try segmenter.words(in: "東京都に住む").first == "東京")
        #expect(try segmenter.words(in: "") == [])
    }

    @Test func offsetsAreUTF16Ranges() throws {
        let segmenter = try WordSegmenter()
        let words = try segmenter.words(in: Array("😀 Paris".utf16))
        #expect(words.map(\.utf16Range) == [3..<8])
    }

    @Test func errorNamesFileAndLine() {
        let error = ExtractionError(.badLine, message: "expected 4 columns, found 2", path: "g.tsv", line: 7)
        #expect(error.description == "g.tsv:7: expected 4 columns, found 2")
    }
}
