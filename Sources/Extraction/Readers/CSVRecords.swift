/// RFC 4180 CSV: comma-separated fields, double quotes around fields that hold commas, quotes or
/// line breaks, `""` for a quote inside one. Records end at a line break outside quotes.
enum CSVRecords {
    /// One record: its fields, the 1-based line it starts on, and its text (for its hash).
    struct Record {
        var fields: [String]
        var line: Int
        var raw: Substring
    }

    /// The records of `text`, or the line of an unterminated quoted field.
    static func parse(_ text: String) -> (records: [Record], unterminatedAt: Int?) {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var recordStart = text.startIndex
        var quoted = false
        var atFieldStart = true
        var index = text.startIndex
        func endRecord(at end: String.Index) {
            fields.append(field)
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine, raw: text[recordStart..<end]))
            }
            fields = []
            field = ""
            atFieldStart = true
        }
        while index < text.endIndex {
            let character = text[index]
            let next = text.index(after: index)
            if quoted {
                if character == "\"" {
                    if next < text.endIndex && text[next] == "\"" {
                        field.append("\"")
                        index = text.index(after: next)
                        continue
                    }
                    quoted = false
                } else {
                    if character.isNewline { line += 1 }
                    field.append(character)
                }
                index = next
                continue
            }
            switch character {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case ",":
                fields.append(field)
                field = ""
                atFieldStart = true
            case "\n", "\r\n", "\r":
                endRecord(at: index)
                line += 1
                recordLine = line
                recordStart = next
            default:
                field.append(character)
                atFieldStart = false
            }
            index = next
        }
        if quoted { return (records, recordLine) }
        if !field.isEmpty || !fields.isEmpty { endRecord(at: text.endIndex) }
        return (records, nil)
    }
}
