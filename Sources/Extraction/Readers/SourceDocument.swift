/// A decoded document, ready for extraction.
public struct SourceDocument: Sendable, Hashable {
    /// Where it came from: the path relative to the root it was found under, or
    /// `file.jsonl#<id>` for a record; the registry's unique source.
    public var source: String
    /// The first heading or line, else the file name.
    public var title: String
    /// SHA-256 (hex) of the raw bytes (of the file, or of the record's line).
    public var sha256: String
    /// The number of raw bytes.
    public var bytes: Int
    /// The charset the bytes were decoded from, e.g. "UTF-8", "ISO-8859-1", "UTF-16LE".
    public var charset: String
    /// The text the extractor sees; mention spans are Unicode scalar offsets into it.
    public var text: String

    /// Makes a document from its fields.
    public init(source: String, title: String, sha256: String, bytes: Int, charset: String, text: String) {
        self.source = source
        self.title = title
        self.sha256 = sha256
        self.bytes = bytes
        self.charset = charset
        self.text = text
    }

    /// A document made from text in memory (UTF-8 bytes hashed; title from the first line).
    public init(source: String, text: String) {
        let utf8 = Array(text.utf8)
        self.init(source: source, title: DocumentTitle.firstLine(of: text) ?? source, sha256: SHA256.hex(utf8), bytes: utf8.count, charset: "UTF-8", text: text)
    }
}

/// A source that could not be read: the reason names the file (and line for a record).
public struct SourceRejection: Sendable, Hashable, Error, CustomStringConvertible {
    /// The source (a path, or `file.jsonl#<id>` / `file.jsonl:<line>` for a record).
    public var source: String
    /// The 1-based line for a malformed record.
    public var line: Int?
    /// Why, e.g. "binary file (NUL bytes)", "larger than the 64 MB limit".
    public var reason: String

    /// Makes a rejection.
    public init(source: String, line: Int? = nil, reason: String) {
        self.source = source
        self.line = line
        self.reason = reason
    }

    /// `source:line: reason`.
    public var description: String {
        line.map { "\(source):\($0): \(reason)" } ?? "\(source): \(reason)"
    }
}

enum DocumentTitle {
    /// The first non-empty line (of the first 50) without Markdown heading marks, at most 200
    /// characters. Scans bytes, so a huge one-line document costs nothing here.
    static func firstLine(of text: String) -> String? {
        let utf8 = text.utf8
        var start = utf8.startIndex
        for _ in 0..<50 where start < utf8.endIndex {
            let end = utf8[start...].firstIndex { $0 == 0x0A || $0 == 0x0D } ?? utf8.endIndex
            let shortEnd = utf8.index(start, offsetBy: 1024, limitedBy: end) ?? end
            // Cut at a character boundary.
            let line = String(decoding: utf8[start..<shortEnd], as: UTF8.self)
            var title = line.trimmingCharacters(where: { $0.isWhitespace })
            while title.hasPrefix("#") { title = title.dropFirst() }
            title = title.trimmingCharacters(where: { $0.isWhitespace })
            if !title.isEmpty { return String(title.prefix(200)) }
            start = end < utf8.endIndex ? utf8.index(after: end) : end
        }
        return nil
    }

    /// The first Markdown heading (`# ...`) in the first 200 lines, if any.
    static func markdownHeading(of text: String) -> String? {
        var count = 0
        for line in text.utf8.split(separator: 0x0A, maxSplits: 200, omittingEmptySubsequences: true) {
            count += 1
            if count > 200 { break }
            if line.first == UInt8(ascii: "#") {
                return firstLine(of: String(decoding: line.prefix(1024), as: UTF8.self))
            }
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingCharacters(where predicate: (Character) -> Bool) -> SubSequence {
        let start = firstIndex { !predicate($0) } ?? endIndex
        let end = lastIndex { !predicate($0) }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
