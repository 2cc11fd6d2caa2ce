@testable import Extraction
import Testing

@Suite struct JSONRecordParserTests {
    static let parser = JSONRecordParser(idField: "id", textField: "text")

    static func parse(_ line: String) -> Result<JSONRecordParser.Record, JSONRecordParser.Failure> {
        parse(Array(line.utf8))
    }

    static func parse(_ bytes: [UInt8]) -> Result<JSONRecordParser.Record, JSONRecordParser.Failure> {
        bytes.withUnsafeBufferPointer { parser.parse($0) }
    }

    @Test func escapesAreResolved() throws {
        let record = try Self.parse(#"{"id":"e","text":"q\"b\\s\/n\nt\tr\rb\bf\f é\u00e9\u4E2D"}"#).get()
        #expect(record.text == "q\"b\\s/n\nt\tr\rb\u{8}f\u{C} éé中")
        #expect(record.id == "e")
    }

    @Test func surrogatePairsMakeOneScalar() throws {
        let record = try Self.parse(#"{"id":"\ud83d\uDE00","text":"a\uD83C\uDDEB\uD83C\uDDF7b"}"#).get()
        #expect(record.id == "😀")
        #expect(record.text == "a🇫🇷b")
    }

    @Test(arguments: [
        #"{"id":"a","text":"x\ud83d"}"#, #"{"id":"a","text":"\ude00x"}"#, #"{"id":"a","text":"\ud83d\u0041"}"#,
        #"{"id":"a","text":"x","other":"\udbff"}"#, #"{"id":"a","text":"\ud83d\n"}"#,
    ])
    func loneSurrogateIsRejected(line: String) {
        #expect(Self.parse(line) == .failure(.loneSurrogate))
    }

    @Test(arguments: [
        "42", "-7", "0", "-0", "1.5", "1e3", "2.50", "-1.25E-2", "12345678901234567890", "9223372036854775807",
        "-9223372036854775808", "true", "false", "null", "[1]", "{}", #""""#, #""s""#,
    ])
    func idsAreWhatJSONLineMadeOfThem(literal: String) throws {
        let line = #"{"id":"# + literal + #","text":"x"}"#
        let old = JSONLine.text(try JSONLine.object(Array(line.utf8))["id"])
        #expect(try Self.parse(line).get().id == old)
    }

    @Test func aRepeatedNameKeepsItsLastValueAsJSONSerializationDoes() throws {
        let line = #"{"id":"a","text":"x","id":"b","text":5}"#
        let old = try JSONLine.object(Array(line.utf8))
        let record = try Self.parse(line).get()
        #expect(record.id == JSONLine.text(old["id"]))
        #expect(record.id == "b")
        #expect(record.text == nil)
    }

    @Test func unknownFieldsOfAnyTypeAreSkipped() throws {
        let line = #"{"meta":{"a":[1,{"b":null,"c":[[],{}]}],"d":"}\"]"},"id":"n","tags":[],"n":-1.5e-3,"t":true,"f":false,"text":"t","title":"T"}"#
        #expect(try Self.parse(line).get() == JSONRecordParser.Record(id: "n", text: "t", title: "T"))
    }

    @Test func whitespaceAroundEverything() throws {
        let record = try Self.parse(" \t{ \"id\" : \"w\" ,\r\n \"text\"\t:\"x\" , \"title\" : 3 } \t").get()
        #expect(record == JSONRecordParser.Record(id: "w", text: "x", title: nil))
    }

    @Test func escapedNamesAndOtherFields() throws {
        let parser = JSONRecordParser(idField: "doc", textField: "body")
        let line = Array(#"{"d\u006fc":7,"body":"Paris","text":"no"}"#.utf8)
        #expect(try line.withUnsafeBufferPointer { parser.parse($0) }.get() == JSONRecordParser.Record(id: "7", text: "Paris", title: nil))
    }

    @Test(arguments: [
        #"{"id":"a","text":"b"} x"#, #"{"id":"a","text":"b"}{}"#, #"{"id":"a",}"#, #"{"id":"a" "text":"b"}"#, "[1]",
        #""str""#, #"{"id":01,"text":"b"}"#, "{\"id\":\"a\",\"text\":\"b\u{1}\"}", #"{"id":"a","text":"b"#, #"{"id":"a","text":"\x"}"#,
        #"{"id":"a","text":tru}"#, #"{"id":1.,"text":"b"}"#, #"{"id":-,"text":"b"}"#, #"{"id":"a","text":"b","x":[1,]}"#,
        #"{"id":"a","text":"\u12"}"#, "", "{", #"{"id"}"#, #"{"id":"a","text":"b","x":{"y"}}"#,
    ])
    func malformedLinesAreRejected(line: String) {
        #expect(Self.parse(line) == .failure(.notAnObject))
    }

    @Test func tooDeepIsRejectedAsJSONSerializationDoes() throws {
        let deep = #"{"id":"a","text":"b","x":"# + String(repeating: "[", count: 600) + String(repeating: "]", count: 600) + "}"
        #expect(Self.parse(deep) == .failure(.notAnObject))
        let fine = #"{"id":"a","text":"b","x":"# + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(try Self.parse(fine).get().id == "a")
    }

    @Test(arguments: [
        [0xFF] as [UInt8], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80],
    ])
    func invalidUTF8IsRejected(bad: [UInt8]) {
        let line = Array(#"{"id":"a","text":"x"#.utf8) + bad + Array(#""}"#.utf8)
        #expect(Self.parse(line) == .failure(.invalidUTF8))
    }

    @Test(arguments: 0..<20)
    func quotesEscapesAndControlsAreFoundAtEveryOffset(offset: Int) throws {
        // The string scanner skips eight bytes at a time: put what it looks for at every offset.
        let pad = String(repeating: "é", count: offset / 2) + String(repeating: "a", count: offset % 2)
        let record = try Self.parse(#"{"id":"a","text":""# + pad + #"\"x\n"# + pad + #"","title":""# + pad + #""}"#).get()
        #expect(record.text == pad + "\"x\n" + pad)
        #expect(record.title == pad)
        #expect(Self.parse(#"{"id":"a","text":""# + pad + "\u{1F}" + pad + #""}"#) == .failure(.notAnObject))
        #expect(Self.parse(#"{"id":"a","text":""# + pad + "\u{7F}" + pad + #""}"#).map(\.text) == .success(pad + "\u{7F}" + pad))
    }

    @Test func nonStringTextIsNoText() throws {
        #expect(try Self.parse(#"{"id":"a","text":null}"#).get().text == nil)
        #expect(try Self.parse(#"{"id":"a"}"#).get() == JSONRecordParser.Record(id: "a", text: nil, title: nil))
    }
}
