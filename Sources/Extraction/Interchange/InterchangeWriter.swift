/// Writes extracted documents as interchange JSONL: for each document its document line, then an
/// entity line for each key not written before (in order of first mention), then its mention
/// lines, then its chunk lines in index order, then its pair lines (co-occurrence). Keys and fields always come in the same order, so
/// the same input gives the same bytes.
public struct InterchangeWriter: Sendable {
    private var writtenKeys: Set<String> = []
    /// The UTF-8 lines written since the last `takeOutput()`.
    public private(set) var output: [UInt8] = []

    /// An empty writer.
    public init() {}

    /// The number of distinct entities written.
    public var entityCount: Int { writtenKeys.count }

    /// Appends the lines of one document.
    public mutating func write(_ document: ExtractedDocument) {
        write(.document(.init(source: document.source, sha256: document.sha256, bytes: document.bytes, title: document.title, charset: document.charset)))
        for group in document.entities where !writtenKeys.contains(group.key) {
            write(.entity(.init(key: group.key, name: group.name, type: group.type)))
        }
        for group in document.entities {
            write(.mention(.init(source: document.source, key: group.key, spans: group.spans)))
        }
        for chunk in document.chunks {
            // Straight from the chunk: a chunk record would hash the text, which the line leaves out.
            appendChunk(source: document.source, index: chunk.index, start: chunk.start, end: chunk.end, text: chunk.text, embedding: nil)
        }
        for pair in document.pairs {
            write(.pair(.init(source: document.source, a: document.entities[pair.a].key, b: document.entities[pair.b].key, count: pair.count)))
        }
    }

    /// Appends one record (entity lines are remembered, so a later document does not repeat them).
    public mutating func write(_ record: InterchangeRecord) {
        switch record {
        case .document(let document):
            append(#"{"kind":"document","source":"#)
            appendString(document.source)
            append(#","sha256":"#)
            appendString(document.sha256)
            append(#","bytes":\#(document.bytes),"title":"#)
            appendString(document.title)
            if let charset = document.charset {
                append(#","charset":"#)
                appendString(charset)
            }
        case .entity(let entity):
            writtenKeys.insert(entity.key)
            append(#"{"kind":"entity","key":"#)
            appendString(entity.key)
            append(#","name":"#)
            appendString(entity.name)
            append(#","type":"#)
            appendString(entity.type)
        case .mention(let mention):
            append(#"{"kind":"mention","source":"#)
            appendString(mention.source)
            append(#","key":"#)
            appendString(mention.key)
            append(#","count":"#)
            appendInteger(mention.count)
            append(#","spans":["#)
            appendSpans(mention.spans)
            append("]")
        case .chunk(let chunk):
            appendChunk(source: chunk.source, index: chunk.index, start: chunk.start, end: chunk.end, text: chunk.text, embedding: chunk.embedding)
            return
        case .pair(let pair):
            append(#"{"kind":"pair","source":"#)
            appendString(pair.source)
            append(#","a":"#)
            appendString(pair.a)
            append(#","b":"#)
            appendString(pair.b)
            append(#","count":"#)
            appendInteger(pair.count)
        }
        append("}\n")
    }

    /// Appends a chunk line. No sha256: `load` computes it from the text, so the line stays what
    /// the format shows and a tool that edits the text need not hash it.
    private mutating func appendChunk(source: String, index: Int, start: Int, end: Int, text: String, embedding: [Double]?) {
        append(#"{"kind":"chunk","source":"#)
        appendString(source)
        append(#","index":"#)
        appendInteger(index)
        append(#","start":"#)
        appendInteger(start)
        append(#","end":"#)
        appendInteger(end)
        append(#","text":"#)
        appendString(text)
        if let embedding {
            appendEmbedding(embedding)
        }
        append("}\n")
    }

    /// Returns the bytes written so far and starts a new buffer (entity memory is kept).
    public mutating func takeOutput() -> [UInt8] {
        defer { output.removeAll(keepingCapacity: true) }
        return output
    }

    /// Forgets the bytes written so far and reuses their buffer: for a caller that wrote `output`
    /// out itself, with no copy.
    public mutating func clearOutput() {
        output.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ ascii: String) {
        output.append(contentsOf: ascii.utf8)
    }

    /// `[start,end]` pairs separated by commas. Spans are most of the output of a mention-heavy
    /// corpus: their digits are formatted into a stack buffer and appended a few hundred bytes
    /// at a time, not a byte at a time.
    private mutating func appendSpans(_ spans: [Range<Int>]) {
        // A span takes at most 2 * 20 digits + 4 bytes; flush before one could overflow.
        let capacity = 1024
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var used = 0
            for (index, span) in spans.enumerated() {
                if used > capacity - 48 {
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<used]))
                    used = 0
                }
                if index > 0 { buffer[used] = UInt8(ascii: ","); used += 1 }
                buffer[used] = UInt8(ascii: "["); used += 1
                used = Self.format(span.lowerBound, into: buffer, at: used)
                buffer[used] = UInt8(ascii: ","); used += 1
                used = Self.format(span.upperBound, into: buffer, at: used)
                buffer[used] = UInt8(ascii: "]"); used += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<used]))
        }
    }

    /// A non-negative integer in decimal, without making a String.
    private mutating func appendInteger(_ value: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            output.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<Self.format(value, into: buffer, at: 0)]))
        }
    }

    /// Writes a non-negative integer in decimal at `buffer[at...]`; returns where it ends.
    private static func format(_ value: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at: Int) -> Int {
        // Count the digits by multiplying (no division), then write them from the right, two
        // at a time. Unsigned: dividing by a constant is then a multiplication and a shift,
        // with no sign fix-up.
        let value = UInt(value)
        var digits = 1
        var limit: UInt = 10
        while digits < 20 && value >= limit {
            digits += 1
            limit &*= 10
        }
        var rest = value
        var position = at + digits
        while rest >= 100 {
            let quotient = rest / 100
            let pair = rest &- quotient &* 100
            position -= 2
            buffer[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair / 10)
            buffer[position + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: pair % 10)
            rest = quotient
        }
        if rest >= 10 {
            buffer[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest / 10)
            buffer[at + 1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
        } else {
            buffer[at] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
        }
        return at + digits
    }

    /// `,"embedding":[...]` with each number in the shortest form that reads back the same
    /// (a number that is not finite, which JSON cannot hold, is written as null, so that `load`
    /// rejects the line rather than take a changed vector).
    private mutating func appendEmbedding(_ embedding: [Double]) {
        append(#","embedding":["#)
        for (index, value) in embedding.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            append(value.isFinite ? value.description : "null")
        }
        append("]")
    }

    /// A JSON string: quotes, backslashes and control characters escaped, the rest as UTF-8.
    /// The runs between escapes are copied whole: chunk texts are long and hold newlines.
    private mutating func appendString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            var position = 0
            while position < utf8.count {
                // Eight bytes at a time while none needs escaping (a chunk's text is mostly
                // plain): a byte below 0x20, a quote or a backslash sets its high bit here.
                if position + 8 <= utf8.count {
                    let word = UnsafeRawPointer(utf8.baseAddress! + position).loadUnaligned(as: UInt64.self)
                    if !Self.needsEscaping(word) {
                        position += 8
                        continue
                    }
                }
                let byte = utf8[position]
                position += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<position - 1]))
                runStart = position
                output.append(0x5C)
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    let hex: StaticString = "0123456789abcdef"
                    output.append(UInt8(ascii: "u"))
                    output.append(0x30)
                    output.append(0x30)
                    output.append(hex.utf8Start[Int(byte >> 4)])
                    output.append(hex.utf8Start[Int(byte & 15)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Whether any of the eight bytes of `word` is below 0x20, a quote or a backslash (bytes of
    /// multi-byte UTF-8, 0x80 and above, never count).
    @inline(__always)
    static func needsEscaping(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func hasZeroByte(_ value: UInt64) -> Bool { (value &- ones) & ~value & highs != 0 }
        let below0x20 = (word &- ones &* 0x20) & ~word & highs != 0
        return below0x20 || hasZeroByte(word ^ (ones &* 0x22)) || hasZeroByte(word ^ (ones &* 0x5C))
    }
}
