import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and validates interchange JSONL line by line, streaming (a file or standard input is
/// read in 1 MiB blocks; memory holds one block and the keys seen so far).
///
/// Each line becomes a typed `InterchangeRecord`. A malformed line, or a mention or chunk whose
/// document (or entity) has not appeared on an earlier line, is an `ExtractionError` with code
/// `.badLine` naming the file and line. Blank lines are skipped.
///
/// What a chunk line can be checked for alone is checked here: `end - start` is the text's count
/// of Unicode scalars, a `sha256` is the text's (computed when the line has none), an
/// `embedding` holds finite numbers only. A bad chunk line's error names its document
/// (``ExtractionError/documentSource``) when the line has a source.
///
/// ```swift
/// var reader = try InterchangeReader(path: "out.jsonl")   // "-" for standard input
/// while let record = try reader.next() { ... }
/// ```
public struct InterchangeReader {
    private let name: String
    private let descriptor: Int32
    private var ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private var lineNumber = 0
    private var seenDocuments: Set<String> = []
    private var seenEntities: Set<String> = []
    /// Whether mentions must refer to earlier document and entity lines (the format's rule).
    /// A caller that resolves the references itself (and says which is missing) turns this off.
    public var checksReferences = true

    /// Opens a file, or standard input for "-".
    /// - Throws: `ExtractionError.unreadable` when the file cannot be opened.
    public init(path: String) throws(ExtractionError) {
        if path == "-" {
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            name = "<stdin>"
        } else {
            descriptor = open(path, O_RDONLY)
            guard descriptor >= 0 else {
                throw ExtractionError(.unreadable, message: "cannot open: \(String(cString: strerror(errno)))", path: path)
            }
            ownsDescriptor = true
            name = path
        }
    }

    /// Reads lines from bytes in memory; `name` appears in errors.
    public init(bytes: [UInt8], name: String = "<memory>") {
        descriptor = -1
        ownsDescriptor = false
        self.name = name
        buffer = bytes
        finished = true
    }

    /// Closes the file (standard input stays open).
    /// Idempotent: the descriptor is closed once, so a second call can never close a number the
    /// process has meanwhile given to another file or socket.
    public mutating func close() {
        if ownsDescriptor { _ = systemClose(descriptor) }
        ownsDescriptor = false
    }

    /// The 1-based number of the last line read.
    public var line: Int { lineNumber }

    /// The next record, or nil at the end.
    /// - Throws: `ExtractionError` (`.badLine` with file and line, or `.unreadable`).
    public mutating func next() throws(ExtractionError) -> InterchangeRecord? {
        while let line = try nextLine() {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            do throws(ExtractionError) {
                return try parse(line)
            } catch {
                throw ExtractionError(.badLine, message: error.message, path: name, line: lineNumber, documentSource: error.documentSource)
            }
        }
        close()
        return nil
    }

    /// Every remaining record.
    public mutating func readAll() throws(ExtractionError) -> [InterchangeRecord] {
        var records: [InterchangeRecord] = []
        while let record = try next() { records.append(record) }
        return records
    }

    private mutating func nextLine() throws(ExtractionError) -> ArraySlice<UInt8>? {
        while true {
            let newline: Int? = buffer.withUnsafeBufferPointer { bytes in
                guard position < bytes.count,
                      let found = memchr(bytes.baseAddress! + position, 0x0A, bytes.count - position) else { return nil }
                return bytes.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                defer { position = newline + 1 }
                return buffer[position..<newline]
            }
            if finished {
                guard position < buffer.count else { return nil }
                defer { position = buffer.count }
                return buffer[position...]
            }
            buffer.removeSubrange(0..<position)
            position = 0
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            let count = chunk.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ExtractionError(.unreadable, message: "read failed: \(String(cString: strerror(errno)))", path: name)
            }
            if count == 0 { finished = true } else { buffer.append(contentsOf: chunk[0..<count]) }
        }
    }

    private mutating func parse(_ line: ArraySlice<UInt8>) throws(ExtractionError) -> InterchangeRecord {
        if let fields = InterchangeLineScanner.scan(line), let record = record(from: fields) {
            return record
        }
        return try parseWithFoundation(line)
    }

    /// The record for a line the fast scanner read, or nil when anything is off: the full parser
    /// then reads the line again and says what is wrong.
    private mutating func record(from fields: InterchangeLineScanner.Fields) -> InterchangeRecord? {
        func nonEmpty(_ value: String?) -> String? {
            guard let value, !value.isEmpty else { return nil }
            return value
        }
        switch fields.kind {
        case .document:
            guard let source = nonEmpty(fields.source), let sha256 = fields.sha256, Self.isLowerHexDigest(sha256),
                  let bytes = fields.bytes, let title = fields.title else { return nil }
            if checksReferences { seenDocuments.insert(source) }
            return .document(InterchangeRecord.Document(source: source, sha256: sha256, bytes: bytes, title: title, charset: fields.charset))
        case .entity:
            guard let key = nonEmpty(fields.key), let name = fields.name, let type = fields.type else { return nil }
            if checksReferences { seenEntities.insert(key) }
            return .entity(InterchangeRecord.Entity(key: key, name: name, type: type))
        case .mention:
            guard let source = nonEmpty(fields.source), let key = nonEmpty(fields.key), let spans = fields.spans,
                  let count = fields.count, count == spans.count else { return nil }
            if checksReferences && (!seenDocuments.contains(source) || !seenEntities.contains(key)) { return nil }
            return .mention(InterchangeRecord.Mention(source: source, key: key, spans: spans))
        case .chunk:
            guard let source = nonEmpty(fields.source), let index = fields.index, let start = fields.start, let end = fields.end,
                  let text = fields.text, start <= end, end - start == text.unicodeScalars.count else { return nil }
            let sha256 = Self.digest(of: text)
            if let given = fields.sha256, given != sha256 { return nil }
            if checksReferences && !seenDocuments.contains(source) { return nil }
            return .chunk(InterchangeRecord.Chunk(source: source, index: index, start: start, end: end, text: text, sha256: sha256,
                                                  embedding: fields.embedding))
        case nil:
            return nil
        }
    }

    /// The SHA-256 of `text`'s UTF-8 in lower-case hex, as ``TextChunk/sha256`` has it.
    static func digest(of text: String) -> String {
        var text = text
        return text.withUTF8 { SHA256.hex(UnsafeRawBufferPointer($0)) }
    }

    /// Whether `text` is a SHA-256 in lower-case hex: 64 of 0-9 and a-f.
    static func isLowerHexDigest(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.count == 64 && bytes.allSatisfy { ($0 &- 0x30) < 10 || ($0 &- 0x61) < 6 }
        }
    }

    private mutating func parseWithFoundation(_ line: ArraySlice<UInt8>) throws(ExtractionError) -> InterchangeRecord {
        let object = try JSONLine.object(line)
        func string(_ field: String, nonEmpty: Bool = true) throws(ExtractionError) -> String {
            guard let value = object[field] as? String else { throw ExtractionError(.badLine, message: "'\(field)' must be a string") }
            if nonEmpty && value.isEmpty { throw ExtractionError(.badLine, message: "'\(field)' must not be empty") }
            return value
        }
        func integer(_ value: Any?, _ field: String) throws(ExtractionError) -> Int {
            try Self.integer(value, field)
        }
        switch object["kind"] as? String {
        case "document":
            let source = try string("source")
            let sha256 = try string("sha256")
            guard Self.isLowerHexDigest(sha256) else {
                throw ExtractionError(.badLine, message: "'sha256' must be 64 lower-case hex digits")
            }
            let document = InterchangeRecord.Document(
                source: source, sha256: sha256, bytes: try integer(object["bytes"], "bytes"),
                title: try string("title", nonEmpty: false), charset: object["charset"] as? String
            )
            if checksReferences { seenDocuments.insert(source) }
            return .document(document)
        case "entity":
            let entity = InterchangeRecord.Entity(key: try string("key"), name: try string("name", nonEmpty: false), type: try string("type", nonEmpty: false))
            if checksReferences { seenEntities.insert(entity.key) }
            return .entity(entity)
        case "mention":
            let source = try string("source")
            let key = try string("key")
            guard let list = object["spans"] as? [Any] else { throw ExtractionError(.badLine, message: "'spans' must be an array of [start, end] pairs") }
            var spans: [Range<Int>] = []
            spans.reserveCapacity(list.count)
            for item in list {
                guard let pair = item as? [Any], pair.count == 2 else { throw ExtractionError(.badLine, message: "'spans' must be an array of [start, end] pairs") }
                let start = try integer(pair[0], "spans")
                let end = try integer(pair[1], "spans")
                guard start <= end else { throw ExtractionError(.badLine, message: "a span ends before it starts") }
                spans.append(start..<end)
            }
            let count = try integer(object["count"], "count")
            guard count == spans.count else { throw ExtractionError(.badLine, message: "'count' is \(count) but there are \(spans.count) spans") }
            if checksReferences {
                guard seenDocuments.contains(source) else { throw ExtractionError(.badLine, message: "mention of a document with no earlier document line") }
                guard seenEntities.contains(key) else { throw ExtractionError(.badLine, message: "mention of an entity with no earlier entity line") }
            }
            return .mention(InterchangeRecord.Mention(source: source, key: key, spans: spans))
        case "chunk":
            let source = try string("source")
            do throws(ExtractionError) {
                return .chunk(try chunk(object, source: source))
            } catch {
                throw ExtractionError(.badLine, message: error.message, documentSource: source)
            }
        case "pair":
            let source = try string("source")
            let pair = InterchangeRecord.Pair(source: source, a: try string("a"), b: try string("b"), count: try integer(object["count"], "count"))
            guard pair.a != pair.b else { throw ExtractionError(.badLine, message: "a pair names the same entity twice", documentSource: source) }
            guard pair.count >= 1 else { throw ExtractionError(.badLine, message: "a pair's 'count' must be at least 1", documentSource: source) }
            if checksReferences {
                guard seenDocuments.contains(source) else { throw ExtractionError(.badLine, message: "pair of a document with no earlier document line") }
                guard seenEntities.contains(pair.a), seenEntities.contains(pair.b) else {
                    throw ExtractionError(.badLine, message: "pair of an entity with no earlier entity line", documentSource: source)
                }
            }
            return .pair(pair)
        default:
            throw ExtractionError(.badLine, message: "'kind' must be document, entity, mention, chunk or pair")
        }
    }

    /// A non-negative integer field of a line the full parser read.
    private static func integer(_ value: Any?, _ field: String) throws(ExtractionError) -> Int {
        guard let number = JSONLine.number(value), let integer = Int(exactly: number.doubleValue), integer >= 0 else {
            throw ExtractionError(.badLine, message: "'\(field)' must be a non-negative integer")
        }
        return integer
    }

    /// A chunk line's fields after its source, checked (see the type's discussion).
    private func chunk(_ object: [String: Any], source: String) throws(ExtractionError) -> InterchangeRecord.Chunk {
        func integer(_ field: String) throws(ExtractionError) -> Int { try Self.integer(object[field], field) }
        let index = try integer("index"), start = try integer("start"), end = try integer("end")
        guard let text = object["text"] as? String else { throw ExtractionError(.badLine, message: "'text' must be a string") }
        guard start <= end else { throw ExtractionError(.badLine, message: "a chunk ends before it starts") }
        let scalars = text.unicodeScalars.count
        guard end - start == scalars else {
            throw ExtractionError(.badLine, message: "'end' - 'start' is \(end - start) but the text has \(scalars) Unicode scalars")
        }
        let sha256 = Self.digest(of: text)
        if let given = object["sha256"] {
            guard let given = given as? String, Self.isLowerHexDigest(given) else {
                throw ExtractionError(.badLine, message: "'sha256' must be 64 lower-case hex digits")
            }
            guard given == sha256 else { throw ExtractionError(.badLine, message: "'sha256' is not the SHA-256 of the chunk's text") }
        }
        var embedding: [Double]?
        if let value = object["embedding"], !(value is NSNull) {
            guard let list = value as? [Any], !list.isEmpty else {
                throw ExtractionError(.badLine, message: "'embedding' must be a non-empty array of numbers")
            }
            var vector: [Double] = []
            vector.reserveCapacity(list.count)
            for (position, item) in list.enumerated() {
                guard let number = JSONLine.number(item), number.doubleValue.isFinite else {
                    throw ExtractionError(.badLine, message: "'embedding' item \(position) is not a finite number")
                }
                vector.append(number.doubleValue)
            }
            embedding = vector
        }
        if checksReferences && !seenDocuments.contains(source) {
            throw ExtractionError(.badLine, message: "chunk of a document with no earlier document line")
        }
        return InterchangeRecord.Chunk(source: source, index: index, start: start, end: end, text: text, sha256: sha256, embedding: embedding)
    }
}

@inline(__always)
private func systemClose(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
    Glibc.close(descriptor)
    #else
    Darwin.close(descriptor)
    #endif
}
