import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the documents under some paths and reads them: a deterministic folder walk (sorted by
/// UTF-8 bytes, hidden files skipped, no symlink followed out of its root, `--include` /
/// `--exclude` globs), then per file: size check, charset decoding, and the format's reader
/// (plain text and Markdown as they are, HTML's visible text, one document per JSONL or CSV
/// record).
///
/// Reading never throws: what cannot be read becomes a `SourceRejection` naming the file (and
/// line). Sendable: `read(_:)` may run on many workers at once.
public struct CorpusReader: Sendable {
    /// What to read and how.
    public struct Options: Sendable, Hashable {
        /// Globs a file must match (any of them) when not empty.
        public var include: [Glob]
        /// Globs that leave a file or folder out.
        public var exclude: [Glob]
        /// The field of a JSONL/CSV record that holds its id.
        public var idField: String
        /// The field of a JSONL/CSV record that holds its text.
        public var textField: String
        /// Files larger than this many bytes are rejected.
        public var maxFileSize: Int
        /// Charset decoding (the ucsdet confidence floor).
        public var decoder: TextDecoder

        /// Options with the defaults of `graphingest extract`.
        public init(include: [Glob] = [], exclude: [Glob] = [], idField: String = "id", textField: String = "text", maxFileSize: Int = 64 << 20, decoder: TextDecoder = TextDecoder()) {
            self.include = include
            self.exclude = exclude
            self.idField = idField
            self.textField = textField
            self.maxFileSize = maxFileSize
            self.decoder = decoder
        }
    }

    /// How a file is read, by extension.
    public enum Format: String, Sendable, Hashable {
        case text, markdown, html, jsonl, csv

        /// The format for a file name, or nil when a folder walk should leave it out.
        public init?(fileName: String) {
            switch fileName.split(separator: ".").last.map({ $0.lowercased() }) ?? "" {
            case "txt", "text": self = .text
            case "md", "markdown": self = .markdown
            case "html", "htm": self = .html
            case "jsonl", "ndjson": self = .jsonl
            case "csv": self = .csv
            default: return nil
            }
        }
    }

    /// A file to read.
    public struct SourceFile: Sendable, Hashable {
        /// Its path on disk.
        public var path: String
        /// Its source name: the path relative to its root folder, or the path as given.
        public var source: String
        /// How it is read.
        public var format: Format
    }

    /// What reading one file gives: documents, and records or files that were rejected.
    public enum Item: Sendable, Hashable {
        case document(SourceDocument)
        case rejected(SourceRejection)
    }

    /// The files and folders to read.
    public let paths: [String]
    public let options: Options

    /// A reader of the files and folders at `paths`.
    public init(paths: [String], options: Options = Options()) {
        self.paths = paths
        self.options = options
    }

    // MARK: Walking

    /// Every file to read, in a deterministic order, and the paths that do not exist.
    public func files() -> (files: [SourceFile], rejections: [SourceRejection]) {
        var files: [SourceFile] = []
        var rejections: [SourceRejection] = []
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                rejections.append(SourceRejection(source: path, reason: "no such file or folder"))
                continue
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                guard let root = Self.realPath(path) else { continue }
                walk(folder: path, relative: "", root: root, into: &files)
            } else {
                var source = path
                while source.hasPrefix("./") { source.removeFirst(2) }
                files.append(SourceFile(path: path, source: source, format: Format(fileName: path) ?? .text))
            }
        }
        return (files, rejections)
    }

    private func walk(folder: String, relative: String, root: String, into files: inout [SourceFile]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            let relativePath = relative.isEmpty ? name : relative + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFLNK {
                // Follow a link only to a file inside the root (never to a folder: no cycles).
                guard let target = Self.realPath(path), target == root || target.hasPrefix(root.hasSuffix("/") ? root : root + "/"),
                      stat(target, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            }
            if options.exclude.contains(where: { $0.matches(relativePath) }) { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(folder: path, relative: relativePath, root: root, into: &files)
            case S_IFREG:
                guard let format = Format(fileName: name) else { continue }
                if !options.include.isEmpty && !options.include.contains(where: { $0.matches(relativePath) }) { continue }
                files.append(SourceFile(path: path, source: relativePath, format: format))
            default:
                continue
            }
        }
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Every document and rejection of the corpus, read lazily one file at a time, in order
    /// (one thread; for several, give `files()` to `CorpusExtraction` or split it yourself).
    public func items() -> some Sequence<Item> {
        let (files, missing) = files()
        let start = (pending: Array(missing.map { Item.rejected($0) }.reversed()), next: 0)
        return sequence(state: start) { state in
            while state.pending.isEmpty {
                guard state.next < files.count else { return nil }
                state.pending = Array(read(files[state.next]).reversed())
                state.next += 1
            }
            return state.pending.popLast()
        }
    }

    // MARK: Reading

    /// Reads one file into documents (one, or one per record) and rejections.
    public func read(_ file: SourceFile) -> [Item] {
        if let size = FileBytes.size(file.path), size > options.maxFileSize {
            return [.rejected(SourceRejection(source: file.source, reason: "larger than the \(Self.describe(options.maxFileSize)) limit (\(size) bytes)"))]
        }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(file.path)
        } catch {
            return [.rejected(SourceRejection(source: file.source, reason: error.message))]
        }
        let decoded: TextDecoder.Decoded
        switch bytes.withUnsafeBufferPointer({ options.decoder.decode($0) }) {
        case .success(let value): decoded = value
        case .failure(let failure): return [.rejected(SourceRejection(source: file.source, reason: failure.reason))]
        }
        let name = file.source.split(separator: "/").last.map(String.init) ?? file.source
        let hash = SHA256.hex(bytes)
        switch file.format {
        case .text:
            let title = DocumentTitle.firstLine(of: decoded.text) ?? name
            return [.document(SourceDocument(source: file.source, title: title, sha256: hash, bytes: bytes.count, charset: decoded.charset, text: decoded.text))]
        case .markdown:
            let title = DocumentTitle.markdownHeading(of: decoded.text) ?? DocumentTitle.firstLine(of: decoded.text) ?? name
            return [.document(SourceDocument(source: file.source, title: title, sha256: hash, bytes: bytes.count, charset: decoded.charset, text: decoded.text))]
        case .html:
            let (text, heading) = HTMLText.extract(decoded.text)
            let title = heading ?? DocumentTitle.firstLine(of: text) ?? name
            return [.document(SourceDocument(source: file.source, title: title, sha256: hash, bytes: bytes.count, charset: decoded.charset, text: text))]
        case .jsonl:
            return readJSONL(decoded, file: file)
        case .csv:
            return readCSV(decoded, file: file)
        }
    }

    private static func describe(_ size: Int) -> String {
        size % (1 << 20) == 0 ? "\(size >> 20) MB" : "\(size)-byte"
    }

    private func record(_ file: SourceFile, id: String, text: String, title: String?, raw: some StringProtocol, charset: String) -> Item {
        var utf8 = String(raw)
        let (hash, count) = utf8.withUTF8 { (SHA256.hex(UnsafeRawBufferPointer($0)), $0.count) }
        let source = "\(file.source)#\(id)"
        return .document(SourceDocument(source: source, title: title ?? DocumentTitle.firstLine(of: text) ?? source, sha256: hash, bytes: count, charset: charset, text: text))
    }

    private func readJSONL(_ decoded: TextDecoder.Decoded, file: SourceFile) -> [Item] {
        var items: [Item] = []
        var number = 0
        for line in decoded.text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            func reject(_ reason: String) { items.append(.rejected(SourceRejection(source: file.source, line: number, reason: reason))) }
            guard let object = try? JSONLine.object(line.utf8) else {
                reject("malformed record: not a JSON object")
                continue
            }
            guard let id = JSONLine.text(object[options.idField]), !id.isEmpty else {
                reject("malformed record: no '\(options.idField)' field")
                continue
            }
            guard let text = object[options.textField] as? String else {
                reject("malformed record: no string '\(options.textField)' field")
                continue
            }
            items.append(record(file, id: id, text: text, title: object["title"] as? String, raw: line, charset: decoded.charset))
        }
        return items
    }

    private func readCSV(_ decoded: TextDecoder.Decoded, file: SourceFile) -> [Item] {
        let (records, unterminated) = CSVRecords.parse(decoded.text)
        var items: [Item] = []
        guard let header = records.first else {
            return unterminated.map { [.rejected(SourceRejection(source: file.source, line: $0, reason: "unterminated quoted field"))] } ?? []
        }
        let names = header.fields.map { String($0.trimmingCharacters(where: \.isWhitespace)) }
        guard let idColumn = names.firstIndex(of: options.idField), let textColumn = names.firstIndex(of: options.textField) else {
            return [.rejected(SourceRejection(source: file.source, line: header.line, reason: "CSV header lacks the '\(options.idField)' or '\(options.textField)' column"))]
        }
        let titleColumn = names.firstIndex(of: "title")
        for row in records.dropFirst() {
            guard row.fields.count == names.count else {
                items.append(.rejected(SourceRejection(source: file.source, line: row.line, reason: "malformed record: expected \(names.count) fields, found \(row.fields.count)")))
                continue
            }
            let id = row.fields[idColumn]
            guard !id.isEmpty else {
                items.append(.rejected(SourceRejection(source: file.source, line: row.line, reason: "malformed record: empty '\(options.idField)'")))
                continue
            }
            items.append(record(file, id: id, text: row.fields[textColumn], title: titleColumn.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }, raw: row.raw, charset: decoded.charset))
        }
        if let unterminated {
            items.append(.rejected(SourceRejection(source: file.source, line: unterminated, reason: "unterminated quoted field")))
        }
        return items
    }
}
