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
        #"{"kind":"document","ok":true}"#,           // a boolean
        #"{"kind":"document","x":null}"#,            // null
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

    @Test func invalidUTF8GoesToTheFullParser() {
        #expect(InterchangeLineScanner.scan(ArraySlice([0x7B, 0x22, 0x6B, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D])) == nil)
    }
}
