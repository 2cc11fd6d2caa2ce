/// RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas, quotes or
/// line breaks, `""` for a quote inside one. Records end at a line break (LF, CRLF or CR) outside
/// quotes.
///
/// Works on UTF-8 bytes one record at a time, so a file is read in blocks: every byte it looks
/// for is ASCII, so a field cut out of valid UTF-8 is valid UTF-8. A quote opens a quoted field
/// only at the start of a field; elsewhere it is a plain character, as is anything after a
/// closing quote (`"ab"c` is `abc`).
enum CSVRecords {
    /// One record: its fields, and where its raw bytes are (for its hash), without the line break.
    struct Record {
        var fields: [String]
        var raw: Range<Int>
    }

    /// What `scan` found at a position.
    enum Scan {
        /// A record; the next one starts at `next`, `lines` lines further down.
        case record(Record, next: Int, lines: Int)
        /// A blank line (no record); the next record starts at `next`.
        case blank(next: Int, lines: Int)
        /// The bytes end inside the record: give more, or call again with `atEnd`.
        case needMore
        /// The input ends inside a quoted field.
        case unterminated
    }

    /// The record that starts at `start` in `bytes`; `atEnd` says no more bytes follow.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, atEnd: Bool) -> Scan {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var atFieldStart = true
        var lines = 0
        var index = start
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lineFeed: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == quote {
                    guard index + 1 < bytes.count else {
                        if !atEnd { return .needMore }
                        quoted = false
                        index += 1
                        continue
                    }
                    if bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    quoted = false
                } else {
                    if byte == lineFeed {
                        lines += 1
                    } else if byte == carriageReturn {
                        // CRLF is one line break; a CR cut off from its LF must wait for it.
                        if index + 1 == bytes.count && !atEnd { return .needMore }
                        if index + 1 == bytes.count || bytes[index + 1] != lineFeed { lines += 1 }
                    }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case quote where atFieldStart:
                quoted = true
                atFieldStart = false
            case comma:
                endField()
                atFieldStart = true
            case lineFeed, carriageReturn:
                var next = index + 1
                if byte == carriageReturn {
                    if next == bytes.count && !atEnd { return .needMore }
                    if next < bytes.count && bytes[next] == lineFeed { next += 1 }
                }
                endField()
                if fields.count == 1 && fields[0].isEmpty { return .blank(next: next, lines: lines + 1) }
                return .record(Record(fields: fields, raw: start..<index), next: next, lines: lines + 1)
            default:
                field.append(byte)
                atFieldStart = false
            }
            index += 1
        }
        guard atEnd else { return .needMore }
        if quoted { return .unterminated }
        endField()
        if fields.count == 1 && fields[0].isEmpty { return .blank(next: bytes.count, lines: lines) }
        return .record(Record(fields: fields, raw: start..<bytes.count), next: bytes.count, lines: lines)
    }
}
