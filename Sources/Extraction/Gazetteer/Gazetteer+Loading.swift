import Foundation

extension Gazetteer {
    /// Loads a gazetteer file: JSONL when the name ends in `.jsonl`, else TSV with a header
    /// `id	name	type	aliases` (aliases separated by `|`) and an optional `case` column
    /// (empty: the case policy decides; `fold` or `exact`: see `CaseMark`).
    /// - Parameters:
    ///   - path: the file.
    ///   - foldDiacritics: whether terms (and the text matched against them) lose diacritics.
    ///   - casePolicy: how unmarked terms treat case.
    ///   - onBadLine: what to do with a malformed line.
    /// - Throws: `ExtractionError` naming the file (and line) when the file cannot be read, its
    ///   header is wrong, or a line is malformed under `BadLinePolicy.fail`.
    public static func load(path: String, foldDiacritics: Bool = false, casePolicy: CasePolicy = .smart,
                            onBadLine: BadLinePolicy = .fail) throws(ExtractionError) -> Gazetteer {
        var bytes = try FileBytes.readText(path)
        var builder = try GazetteerBuilder(form: foldDiacritics ? .foldedWithoutDiacritics : .folded, casePolicy: casePolicy)
        var skipped: [ExtractionError] = []
        try bytes.withUnsafeBufferPointer { buffer throws(ExtractionError) in
            try forEachEntryLine(buffer, path: path, skip: { error in
                guard onBadLine == .skip else { return false }
                skipped.append(error)
                return true
            }) { line, _, columns throws(ExtractionError) in
                if let columns { try columns.add(line, to: &builder) } else { try builder.add(parseJSONLine(line)) }
            }
        }
        let contentHash = SHA256.hex(bytes)
        bytes = [] // before `finish`, which needs room of its own
        var gazetteer = try builder.finish()
        gazetteer.skippedLines = skipped
        gazetteer.contentHash = contentHash
        return gazetteer
    }

    /// The entries of a gazetteer file with their line numbers, read as `load` reads them (for
    /// `gazetteer lint`: slower than `load`, which makes no String per field).
    /// - Throws: `ExtractionError` naming the file and line of the first malformed line.
    public static func entries(path: String) throws(ExtractionError) -> [(line: Int, entry: Entry)] {
        let bytes = try FileBytes.readText(path)
        var entries: [(line: Int, entry: Entry)] = []
        try bytes.withUnsafeBufferPointer { buffer throws(ExtractionError) in
            try forEachEntryLine(buffer, path: path, skip: { _ in false }) { line, number, columns throws(ExtractionError) in
                let entry = if let columns { try columns.entry(line) } else { try parseJSONLine(line) }
                entries.append((number, entry))
            }
        }
        return entries
    }

    /// Calls `body` with each entry line of a gazetteer file, its number and, for TSV, its columns
    /// (nil for JSONL), after the header and without blank lines. An error is located at its line and
    /// thrown, unless it is a bad data line and `skip` takes it.
    private static func forEachEntryLine(_ buffer: UnsafeBufferPointer<UInt8>, path: String, skip: (ExtractionError) -> Bool,
                                         _ body: (UnsafeBufferPointer<UInt8>, Int, GazetteerColumns?) throws(ExtractionError) -> Void) throws(ExtractionError) {
        let isJSONL = path.lowercased().hasSuffix(".jsonl")
        var columns: GazetteerColumns?
        try FileBytes.forEachLine(buffer) { line, number throws(ExtractionError) in
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
            do throws(ExtractionError) {
                if isJSONL || columns != nil {
                    try body(line, number, columns)
                } else {
                    columns = try GazetteerColumns(header: line)
                }
            } catch {
                var located = error
                located.path = path
                located.line = number
                if located.code != .badLine || columns == nil && !isJSONL || !skip(located) { throw located }
            }
        }
        if columns == nil && !isJSONL {
            throw ExtractionError(.badLine, message: "missing header line 'id\tname\ttype\taliases'", path: path, line: 1)
        }
    }

    private static func parseJSONLine(_ line: UnsafeBufferPointer<UInt8>) throws(ExtractionError) -> Entry {
        let object = try JSONLine.object(UnsafeRawBufferPointer(line))
        func text(_ field: String) -> String? { JSONLine.text(object[field]) }
        guard let id = text("id"), !id.isEmpty else { throw ExtractionError(.badLine, message: "empty or missing id") }
        guard let name = text("name"), !name.trimmed.isEmpty else { throw ExtractionError(.badLine, message: "empty or missing name") }
        var aliases: [String] = []
        switch object["aliases"] {
        case nil, is NSNull: break
        case let list as [Any]:
            for item in list {
                guard let alias = item as? String else { throw ExtractionError(.badLine, message: "aliases must be strings") }
                aliases.append(alias)
            }
        case let joined as String: aliases = joined.split(separator: "|").map(String.init)
        default: throw ExtractionError(.badLine, message: "aliases must be an array of strings")
        }
        let mark = try GazetteerColumns.caseMark(text("case") ?? "")
        return Entry(id: id, name: name, type: text("type") ?? "", aliases: aliases, caseMark: mark)
    }
}

/// Where the fields of a TSV gazetteer are, from its header.
private struct GazetteerColumns {
    var id: Int
    var name: Int
    var type: Int
    var aliases: Int
    var caseColumn: Int?
    var count: Int

    init(header: UnsafeBufferPointer<UInt8>) throws(ExtractionError) {
        let names = String(decoding: header, as: UTF8.self).split(separator: "\t", omittingEmptySubsequences: false)
            .map { $0.trimmed.lowercased() }
        func column(_ name: String) throws(ExtractionError) -> Int {
            guard let index = names.firstIndex(of: name) else {
                throw ExtractionError(.badLine, message: "header lacks the column '\(name)' (expected 'id\tname\ttype\taliases' and optionally 'case')")
            }
            return index
        }
        id = try column("id")
        name = try column("name")
        type = try column("type")
        aliases = try column("aliases")
        caseColumn = names.firstIndex(of: "case")
        count = names.count
    }

    static func caseMark(_ value: some StringProtocol) throws(ExtractionError) -> Gazetteer.CaseMark {
        guard let mark = Gazetteer.CaseMark(rawValue: value.trimmed.lowercased()) else {
            throw ExtractionError(.badLine, message: "case must be empty, 'fold' or 'exact'")
        }
        return mark
    }

    /// Parses one data line into an entry, with a String per field (for lint, not for loading).
    func entry(_ line: UnsafeBufferPointer<UInt8>) throws(ExtractionError) -> Gazetteer.Entry {
        guard let text = String(validating: line, as: UTF8.self) else { throw ExtractionError(.badLine, message: "not valid UTF-8") }
        let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map { String($0.trimmed) }
        guard fields.count == count else { throw ExtractionError(.badLine, message: "expected \(count) columns, found \(fields.count)") }
        guard !fields[id].isEmpty else { throw ExtractionError(.badLine, message: "empty id") }
        guard !fields[name].isEmpty else { throw ExtractionError(.badLine, message: "empty name") }
        let mark = try caseColumn.map { column throws(ExtractionError) in try Self.caseMark(fields[column]) } ?? .unmarked
        let aliases = fields[self.aliases].split(separator: "|").map { String($0.trimmed) }.filter { !$0.isEmpty }
        return Gazetteer.Entry(id: fields[id], name: fields[name], type: fields[type], aliases: aliases, caseMark: mark)
    }

    /// Parses one data line at the byte level (no String per field: a million lines must load
    /// in about a second) and adds it.
    func add(_ line: UnsafeBufferPointer<UInt8>, to builder: inout GazetteerBuilder) throws(ExtractionError) {
        var tabs = 0
        var ascii = true
        for byte in line {
            if byte == 0x09 { tabs += 1 }
            if byte >= 0x80 { ascii = false }
        }
        guard tabs + 1 == count else {
            throw ExtractionError(.badLine, message: "expected \(count) columns, found \(tabs + 1)")
        }
        if !ascii && String(validating: line, as: UTF8.self) == nil {
            throw ExtractionError(.badLine, message: "not valid UTF-8")
        }
        try withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: count) { fields throws(ExtractionError) in
            var start = 0
            var index = 0
            for (offset, byte) in line.enumerated() where byte == 0x09 {
                fields[index] = Self.trim(line, start..<offset)
                index += 1
                start = offset + 1
            }
            fields[index] = Self.trim(line, start..<line.count)
            guard !fields[id].isEmpty else { throw ExtractionError(.badLine, message: "empty id") }
            guard !fields[name].isEmpty else { throw ExtractionError(.badLine, message: "empty name") }
            let mark = try caseColumn.map { column throws(ExtractionError) in
                try Self.caseMark(String(decoding: UnsafeBufferPointer(rebasing: line[fields[column]]), as: UTF8.self))
            } ?? .unmarked
            var aliases: [Range<Int>] = []
            var aliasStart = fields[self.aliases].lowerBound
            for offset in fields[self.aliases] where line[offset] == UInt8(ascii: "|") {
                let alias = Self.trim(line, aliasStart..<offset)
                if !alias.isEmpty { aliases.append(alias) }
                aliasStart = offset + 1
            }
            let last = Self.trim(line, aliasStart..<fields[self.aliases].upperBound)
            if !last.isEmpty { aliases.append(last) }
            try builder.add(line: line, id: fields[id], name: fields[name], type: fields[type], aliases: aliases, mark: mark)
        }
    }

    private static func trim(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper && (line[lower] == 0x20 || line[lower] == 0x09) { lower += 1 }
        while upper > lower && (line[upper - 1] == 0x20 || line[upper - 1] == 0x09) { upper -= 1 }
        return lower..<upper
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    var trimmed: SubSequence {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
