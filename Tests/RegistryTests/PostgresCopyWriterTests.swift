import Foundation
import Testing
@testable import Registry

@Suite struct PostgresCopyWriterTests {
    private func encoded(_ build: (inout PostgresCopyWriter) -> Void) -> String {
        var writer = PostgresCopyWriter()
        build(&writer)
        return String(decoding: writer.buffer, as: UTF8.self)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("tab\there", "tab\\there"),
        ("line\nbreak", "line\\nbreak"),
        ("carriage\rreturn", "carriage\\rreturn"),
        ("back\\slash", "back\\\\slash"),
        ("\\N", "\\\\N"),
        ("Zürich 東京", "Zürich 東京"),
    ])
    func escapesText(input: String, expected: String) {
        #expect(encoded { $0.append(input) } == expected)
    }

    @Test func separatesFieldsAndRows() {
        let text = encoded { writer in
            writer.append("a")
            writer.append(Int64(-42))
            writer.appendNull()
            writer.endRow()
            writer.append(Int64(0))
            writer.append(Int64.min)
            writer.append(String?.none)
            writer.endRow()
        }
        #expect(text == "a\t-42\t\\N\n0\t-9223372036854775808\t\\N\n")
    }
}
