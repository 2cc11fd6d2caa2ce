import Foundation
@testable import Extraction
import Testing

/// The fast scanner reads what JSONSerialization reads, and hands anything unusual back.
@Suite struct InterchangeLineScannerTests {
    static func scan(_ line: String) -> InterchangeLineScanner.Fields? {
        InterchangeLineScanner.scan(ArraySlice(Array(line.utf8)))
    }

    @Test(arguments: [
        #"{"kind":"document","source":"a/b.txt","sha256":"00","bytes":12,"title":"Tab\there \"quoted\" \\ / \u00e9 \ud83d\ude00 東京"}"#,
        #" { "kind" : "entity" , "key" : "geo:1" , "name" : "Zürich" , "type" : "City" } "#,
        #"{"kind":"mention","source":"s","key":"k","count":2,"spans":[[0,5],[ 10 , 15 ]]}"#,
    ])
    func stringsAndIntegersMatchFoundation(line: String) throws {
        let fields = try #require(Self.scan(line))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        for (key, value) in object {
            if let string = value as? String {
                #expect(fields[string: key] == string, "\(key)")
            } else if key == "spans", let pairs = value as? [[Int]] {
                #expect(fields.spans == pairs.map { $0[0]..<$0[1] })
            } else if let number = value as? Int {
                #expect((key == "bytes" ? fields.bytes : fields.count) == number, "\(key)")
            }
        }
    }

    @Test(arguments: [
        #"{"kind":"document","bytes":-1}"#,          // a negative number
        #"{"kind":"document","bytes":1.5}"#,         // a fraction
        #"{"kind":"document","bytes":01}"#,          // a leading zero
        #"{"kind":"document","bytes":true}"#,        // a boolean where the format has a number
        #"{"kind":"document","title":null}"#,        // null where the format has a string
        #"{"kind":"document","x":[1,}"#,             // another field's value that is not JSON
        #"{"kind":"document","x":tru}"#,             // a misspelt literal
        #"{"kind":"a","kind":"b"}"#,                 // a duplicate key
        #"{"kind":"mention","spans":[[5,1]]}"#,      // a span that ends before it starts
        #"{"kind":"x\q"}"#,                          // an unknown escape
        #"{"kind":"\ud800"}"#,                       // a lone surrogate
        #"{"kind":"document"} trailing"#,            // text after the object
        #"{"kind":"document","source":7}"#,          // a number where the format has a string
        #"{"kind":"document","title":"a","title":"b"}"#, // a duplicate format key
        #"{"kind":"document""#,                      // truncated
        #"["kind"]"#,                                // not an object
    ])
    func unusualLinesGoToTheFullParser(line: String) {
        #expect(Self.scan(line) == nil)
    }

    /// Embedding numbers: every JSON number form, read as Foundation reads it.
    @Test func embeddingNumbersMatchFoundation() throws {
        let line = #"{"kind":"chunk","source":"s","index":0,"start":0,"end":1,"text":"a","embedding":[0, -0, 1, -2.5, 0.125, 1e3, 1E-3, -4.25e+2, 0.30000000000000004, 123456789012345678901234567890, 5e-324]}"#
        let fields = try #require(Self.scan(line))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        // Foundation on Linux rounds some numbers wrongly (0.30000000000000004 comes back as
        // 0.3000000000000001): compare each with the standard library's correctly rounded parse.
        #expect(try #require(object["embedding"] as? [Any]).count == 11)
        let literals = ["0", "-0", "1", "-2.5", "0.125", "1e3", "1E-3", "-4.25e+2", "0.30000000000000004", "123456789012345678901234567890", "5e-324"]
        #expect(fields.embedding == literals.map { Double($0)! })
        #expect(fields.index == 0 && fields.start == 0 && fields.end == 1 && fields[string: "text"] == "a")
    }

    @Test(arguments: [
        #"{"embedding":[]}"#,          // empty: the full parser says it must not be
        #"{"embedding":[1,]}"#,        // a trailing comma
        #"{"embedding":[01]}"#,        // a leading zero
        #"{"embedding":[1.]}"#,        // a fraction without digits
        #"{"embedding":[.5]}"#,        // no integer part
        #"{"embedding":[+1]}"#,        // a plus sign
        #"{"embedding":[1e]}"#,        // an exponent without digits
        #"{"embedding":[1e999]}"#,     // out of Double's range
        #"{"embedding":[NaN]}"#,       // not JSON
        #"{"embedding":[1,"2"]}"#,     // a string
        #"{"embedding":[[1]]}"#,       // nested
    ])
    func unusualEmbeddingsGoToTheFullParser(line: String) {
        #expect(Self.scan(line) == nil)
    }

    /// Fields another tool added, of any JSON type, are read past: the line keeps the fast path.
    @Test func otherFieldsOfAnyTypeAreSkipped() throws {
        let line = #"{"kind":"chunk","model":"m","score":-0.5e1,"ok":true,"no":false,"x":null,"meta":{"a":[1,{"b":"}"}],"c":{}},"source":"s","index":0,"start":0,"end":1,"text":"a","embedding":[1]}"#
        let fields = try #require(Self.scan(line))
        #expect(fields.kind == .chunk && fields.source == "s" && fields.embedding == [1])
        #expect(fields.index == 0 && fields.end == 1 && fields.text == "a")
    }

    @Test func invalidUTF8GoesToTheFullParser() {
        #expect(InterchangeLineScanner.scan(ArraySlice([0x7B, 0x22, 0x6B, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D])) == nil)
    }
}
