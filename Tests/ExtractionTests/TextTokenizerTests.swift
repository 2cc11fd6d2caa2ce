import CDigest
@testable import Extraction
import Testing

@Suite struct TextTokenizerTests {
    @Test(arguments: [
        ("ﬁle", "file"),
        ("ＰＡＲＩＳ", "paris"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("İstanbul", "istanbul"),
        ("ΟΔΥΣΣΕΥΣ", "οδυσσευσ"),
        ("Οδυσσευς", "οδυσσευσ"),
        ("Cafe\u{301}", "café"),
        ("Café", "café"),
        ("New   York\nCity", "new york city"),
        ("Macy’s", "macy 's"),
    ])
    func normalizesLikeTheGazetteer(input: String, expected: String) throws {
        #expect(try TextTokenizer().normalize(input) == expected)
    }

    @Test func dotlessIStaysApartWithoutDiacriticFolding() throws {
        #expect(try TextTokenizer().normalize("ılık") == "ılık")
        #expect(try TextTokenizer(form: .foldedWithoutDiacritics).normalize("ılık Çağ Zoë Łódź") == "ilik cag zoe lodz")
    }

    @Test func tokensKeepScalarAndUTF16Spans() throws {
        let text = "😀Paris, 東京都に住む"
        let tokens = try TextTokenizer().tokens(in: text)
        let scalars = Array(text.unicodeScalars)
        for token in tokens {
            let surface = String(String.UnicodeScalarView(scalars[token.scalarRange]))
            let units = Array(text.utf16)
            #expect(String(decoding: units[token.utf16Range], as: UTF16.self) == surface)
        }
        #expect(tokens.map(\.normalized).prefix(4) == ["😀", "paris", ",", "東京"])
        #expect(tokens[1].scalarRange == 1..<6)
        #expect(tokens[1].utf16Range == 2..<7)
    }

    @Test func thaiIsSegmentedWithoutSpaces() throws {
        #expect(try TextTokenizer().tokens(in: "ภาษาไทยง่ายนิดเดียว").map(\.normalized) == ["ภาษา", "ไทย", "ง่าย", "นิด", "เดียว"])
    }

    @Test func errorNamesFileAndLine() {
        let error = ExtractionError(.badLine, message: "expected 4 columns, found 2", path: "g.tsv", line: 7)
        #expect(error.description == "g.tsv:7: expected 4 columns, found 2")
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let million = [UInt8](repeating: 0x61, count: 1_000_000)
        #expect(SHA256.hex(million) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var split = SHA256()
        split.update(Array(million[0..<100]))
        split.update(Array(million[100...]))
        #expect(split.hexDigest() == SHA256.hex(million))
    }

    @Test func sha256CPUExtensionsAgreeWithPortableCode() {
        // On a CPU with SHA extensions the vectors above test those; this keeps the portable
        // path tested too.
        var generator = SystemRandomNumberGenerator()
        let data = (0..<64 * 37).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var fast: [UInt32] = [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19]
        var portable = fast
        gi_sha256_compress(&fast, data, 37)
        gi_sha256_compress_portable(&portable, data, 37)
        #expect(fast == portable)
    }
}
