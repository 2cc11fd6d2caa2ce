#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The records of one JSONL or CSV file as documents and rejections, read in blocks of 1 MiB:
/// record ends are found in the bytes (memchr for a JSONL line feed, `CSVRecords` for CSV, whose
/// quoted fields may span lines), so memory holds one block and the records asked for, never the
/// whole file or a String of it.
///
/// Charsets: JSON text is UTF-8 (RFC 8259), so a JSONL record that is not UTF-8 is rejected on its
/// own and the rest of the file still reads. A CSV file is first checked in blocks; when it is not
/// UTF-8 (spreadsheets often export a legacy charset) it is decoded whole with `TextDecoder` as
/// before, and so is a file of either kind that starts with a UTF-16/32 byte order mark or has NUL
/// bytes in its first block (UTF-16 without a mark, or binary): correctness over speed there.
///
/// Identity: a record's hash and byte count are those of its raw UTF-8 line without the line
/// break, as before; a UTF-8 byte order mark is not part of the first record. A CR before the LF
/// is a line break too (the old reader took CRLF files as one line).
///
/// Not Sendable: one reader at a time (`CorpusExtraction` keeps it behind a lock).
final class RecordStream {
    /// Bytes read at a time.
    static let blockSize = 1 << 20

    private let file: CorpusReader.SourceFile
    private let options: CorpusReader.Options
    private let parser: JSONRecordParser
    /// Bytes read and not yet consumed start at `start`.
    private var buffer: [UInt8] = []
    private var start = 0
    /// The open file, or -1 once it is read to the end (or the bytes came decoded in memory).
    private var descriptor: Int32 = -1
    /// The 1-based line at `start`.
    private var line = 1
    private var charset = "UTF-8"
    /// Items known before any record is read (the file's rejection).
    private var opening: [CorpusReader.Item] = []
    private var finished = false
    private var header: CSVHeader?
    /// A JSONL record over `maxFileSize` was rejected and the rest of its line is being skipped.
    private var skippingOversizedRecord = false

    private struct CSVHeader {
        var count: Int
        var id: Int
        var text: Int
        var title: Int?
    }

    /// Opens `file`; what cannot be opened comes out of `next` as the file's rejection.
    init(file: CorpusReader.SourceFile, options: CorpusReader.Options) {
        self.file = file
        self.options = options
        parser = JSONRecordParser(idField: options.idField, textField: options.textField)
        // A JSONL file streams, so its size is no limit: `maxFileSize` bounds each record instead
        // (what memory must hold). A CSV record cannot be skipped without its quotes, and a file
        // decoded whole is held whole: those keep the limit on the file.
        if file.format != .jsonl, let size = FileBytes.size(file.path), size > options.maxFileSize {
            reject(CorpusReader.tooLarge(size, limit: options.maxFileSize))
            return
        }
        descriptor = open(file.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            reject(FileBytes.unreadable(file.path).message)
            return
        }
        if file.format == .csv && !Self.isUTF8(descriptor) {
            decodeWhole()
            return
        }
        fill()
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) {
            start = 3
        } else if buffer.starts(with: [0xFF, 0xFE]) || buffer.starts(with: [0xFE, 0xFF]) || buffer.starts(with: [0, 0, 0xFE, 0xFF])
            || memchr(buffer, 0, buffer.count) != nil {
            decodeWhole()
        }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The next items in file order: at most `maxItems`, and no more once their records' raw
    /// bytes reach `maxBytes`; nil when the file is done.
    func next(maxItems: Int, maxBytes: Int = .max) -> [CorpusReader.Item]? {
        var items = opening
        opening = []
        var bytes = 0
        while !finished && items.count < maxItems && bytes < maxBytes {
            switch file.format {
            case .csv: nextCSV(into: &items, bytes: &bytes)
            default: nextJSONL(into: &items, bytes: &bytes)
            }
        }
        return items.isEmpty && finished ? nil : items
    }

    // MARK: JSONL

    private func nextJSONL(into items: inout [CorpusReader.Item], bytes: inout Int) {
        let end: Int
        let newline = buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard start < pointer.count, let found = memchr(pointer.baseAddress! + start, 0x0A, pointer.count - start) else { return nil }
            return UnsafeRawPointer(found).assumingMemoryBound(to: UInt8.self) - pointer.baseAddress!
        }
        if skippingOversizedRecord {
            // The rest of a record too large to hold: dropped block by block up to its line end.
            guard let newline else {
                start = buffer.count
                if descriptor >= 0 { fill() } else { finished = true }
                return
            }
            skippingOversizedRecord = false
            start = newline + 1
            line += 1
            return
        }
        if let newline {
            end = newline
        } else if descriptor >= 0 {
            if buffer.count - start > options.maxFileSize {
                items.append(rejection("record " + CorpusReader.tooLarge(buffer.count - start, limit: options.maxFileSize)))
                skippingOversizedRecord = true
                start = buffer.count
            }
            fill()
            return
        } else {
            finished = true
            guard start < buffer.count else { return }
            end = buffer.count
        }
        var lineEnd = end
        if lineEnd > start && buffer[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        if let item = buffer.withUnsafeBufferPointer({ jsonRecord(UnsafeBufferPointer(rebasing: $0[start..<lineEnd])) }) {
            items.append(item)
            bytes += lineEnd - start
        }
        start = end + 1
        line += 1
    }

    private func jsonRecord(_ raw: UnsafeBufferPointer<UInt8>) -> CorpusReader.Item? {
        if raw.allSatisfy({ $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }) { return nil }
        switch parser.parse(raw) {
        case .failure(let failure):
            // A line of Unicode spaces was a blank line for the old reader too.
            if failure != .invalidUTF8 && String(decoding: raw, as: UTF8.self).allSatisfy(\.isWhitespace) { return nil }
            return rejection(failure.reason)
        case .success(let record):
            guard let id = record.id, !id.isEmpty else { return rejection("malformed record: no '\(options.idField)' field") }
            guard let text = record.text else { return rejection("malformed record: no string '\(options.textField)' field") }
            return document(id: id, text: text, title: record.title, raw: raw)
        }
    }

    // MARK: CSV

    private func nextCSV(into items: inout [CorpusReader.Item], bytes: inout Int) {
        if start == buffer.count && descriptor < 0 {
            finished = true
            return
        }
        let scan = buffer.withUnsafeBufferPointer { CSVRecords.scan($0, from: start, atEnd: descriptor < 0) }
        switch scan {
        case .needMore:
            fill()
        case .unterminated:
            items.append(rejection("unterminated quoted field"))
            finished = true
        case .blank(let next, let lines):
            start = next
            line += lines
        case .record(let record, let next, let lines):
            if let header {
                if let item = csvRecord(record, header: header) {
                    items.append(item)
                    bytes += record.raw.count
                }
            } else {
                let names = record.fields.map { String($0.trimmingCharacters(where: \.isWhitespace)) }
                guard let id = names.firstIndex(of: options.idField), let text = names.firstIndex(of: options.textField) else {
                    items.append(rejection("CSV header lacks the '\(options.idField)' or '\(options.textField)' column"))
                    finished = true
                    return
                }
                header = CSVHeader(count: names.count, id: id, text: text, title: names.firstIndex(of: "title"))
            }
            start = next
            line += lines
        }
    }

    private func csvRecord(_ record: CSVRecords.Record, header: CSVHeader) -> CorpusReader.Item? {
        guard record.fields.count == header.count else {
            return rejection("malformed record: expected \(header.count) fields, found \(record.fields.count)")
        }
        let id = record.fields[header.id]
        guard !id.isEmpty else { return rejection("malformed record: empty '\(options.idField)'") }
        let title = header.title.map { record.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
        return buffer.withUnsafeBufferPointer {
            document(id: id, text: record.fields[header.text], title: title, raw: UnsafeBufferPointer(rebasing: $0[record.raw]))
        }
    }

    // MARK: Items

    private func document(id: String, text: String, title: String?, raw: UnsafeBufferPointer<UInt8>) -> CorpusReader.Item {
        let source = "\(file.source)#\(id)"
        return .document(SourceDocument(
            source: source, title: title ?? DocumentTitle.firstLine(of: text) ?? source,
            sha256: SHA256.hex(UnsafeRawBufferPointer(raw)), bytes: raw.count, charset: charset, text: text
        ))
    }

    private func rejection(_ reason: String) -> CorpusReader.Item {
        .rejected(SourceRejection(source: file.source, line: line, reason: reason))
    }

    /// The file is rejected whole: nothing else comes out.
    private func reject(_ reason: String) {
        opening = [.rejected(SourceRejection(source: file.source, reason: reason))]
        finished = true
        stopReading()
    }

    // MARK: Reading

    /// Reads the next block after the unconsumed bytes; a record longer than a block doubles the
    /// read, so a long record is scanned a few times, not once per block.
    private func fill() {
        guard descriptor >= 0 else { return }
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let want = max(Self.blockSize, buffer.count)
        var count = 0
        // Read into uninitialised memory and append what came: no block of zeros written and
        // cut back for every read (a small file read a whole block of them, twice).
        let block = [UInt8](unsafeUninitializedCapacity: want) { bytes, initialized in
            while true {
                count = systemRead(descriptor, bytes.baseAddress, want)
                if count >= 0 || errno != EINTR { break }
            }
            initialized = max(0, count)
        }
        buffer.append(contentsOf: block)
        if count < 0 {
            opening.append(rejection(FileBytes.unreadable(file.path).message))
            finished = true
        }
        if count <= 0 { stopReading() }
    }

    private func stopReading() {
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// Reads the whole file and decodes it with `TextDecoder` (legacy charsets, UTF-16/32, binary
    /// files), then reads the records from its UTF-8 in memory.
    private func decodeWhole() {
        stopReading()
        if let size = FileBytes.size(file.path), size > options.maxFileSize {
            reject(CorpusReader.tooLarge(size, limit: options.maxFileSize))
            return
        }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(file.path)
        } catch {
            reject(error.message)
            return
        }
        switch bytes.withUnsafeBufferPointer({ options.decoder.decode($0) }) {
        case .success(let decoded):
            buffer = Array(decoded.text.utf8)
            start = 0
            charset = decoded.charset
        case .failure(let failure):
            reject(failure.reason)
        }
    }

    /// Whether the open file is UTF-8 with no NUL byte (a UTF-8 byte order mark allowed), read in
    /// blocks; the file is left at its start.
    private static func isUTF8(_ descriptor: Int32) -> Bool {
        defer { lseek(descriptor, 0, SEEK_SET) }
        var block = [UInt8](repeating: 0, count: blockSize + 3)
        var carried = 0
        while true {
            let count = block.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress! + carried, blockSize) }
            if count < 0 && errno == EINTR { continue }
            // An unreadable file goes to the whole-file path, which names the error.
            guard count >= 0 else { return false }
            if count == 0 { return carried == 0 }
            let filled = carried + count
            let valid: Bool = block.withUnsafeBufferPointer { pointer in
                let bytes = UnsafeBufferPointer(rebasing: pointer[0..<filled])
                guard memchr(pointer.baseAddress!, 0, filled) == nil else { return false }
                let end = UTF8Validation.validPrefixEnd(bytes)
                // At most three bytes of a sequence cut by the block's end go on to the next.
                guard filled - end <= 3 else { return false }
                carried = filled - end
                return true
            }
            guard valid else { return false }
            for offset in 0..<carried { block[offset] = block[filled - carried + offset] }
        }
    }
}
