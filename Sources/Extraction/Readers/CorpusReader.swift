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
/// record). JSONL and CSV files are read in blocks and handed out in batches of records
/// (`read(_:batchSize:_:)`, `RecordStream`), so a big one never sits whole in memory.
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

    /// Reads one file into documents (one, or one per record) and rejections, all at once.
    public func read(_ file: SourceFile) -> [Item] {
        var items: [Item] = []
        read(file, batchSize: .max) { items += $0 }
        return items
    }

    /// Reads one file and hands its items to `body` in batches of at most `batchSize` items, in
    /// file order, as it reads: a JSONL or CSV file is read in blocks, so memory holds one batch,
    /// not the file. A plain file gives one batch of one item; an empty container gives none.
    /// - Throws: what `body` throws (reading itself never throws: see `SourceRejection`).
    public func read<Failure: Error>(_ file: SourceFile, batchSize: Int, _ body: ([Item]) throws(Failure) -> Void) throws(Failure) {
        var batches = batches(of: file, batchSize: batchSize)
        while let batch = batches.next() { try body(batch) }
    }

    /// The items of one file in batches of at most `batchSize` items, pulled one batch at a time,
    /// so an async caller can hand each on (and wait for room) before the next is read. The same
    /// batches as ``read(_:batchSize:_:)``.
    public func batches(of file: SourceFile, batchSize: Int) -> ItemBatches {
        switch file.format {
        case .jsonl, .csv:
            return ItemBatches(source: .records(RecordStream(file: file, options: options), batchSize: max(1, batchSize)))
        case .text, .markdown, .html:
            return ItemBatches(source: .whole(readWhole(file)))
        }
    }

    /// The batches of one file, read as they are pulled. Used by one task at a time.
    public struct ItemBatches: IteratorProtocol {
        enum Source {
            case records(RecordStream, batchSize: Int)
            case whole(Item)
            case done
        }

        var source: Source

        /// The next batch, or nil once the file is read.
        public mutating func next() -> [Item]? {
            switch source {
            case .records(let stream, let batchSize):
                guard let batch = stream.next(maxItems: batchSize) else {
                    source = .done
                    return nil
                }
                return batch
            case .whole(let item):
                source = .done
                return [item]
            case .done:
                return nil
            }
        }
    }

    /// Reads a plain, Markdown or HTML file whole: one document, or the file's rejection.
    private func readWhole(_ file: SourceFile) -> Item {
        if let size = FileBytes.size(file.path), size > options.maxFileSize {
            return .rejected(SourceRejection(source: file.source, reason: Self.tooLarge(size, limit: options.maxFileSize)))
        }
        let bytes: [UInt8]
        do {
            bytes = try FileBytes.read(file.path)
        } catch {
            return .rejected(SourceRejection(source: file.source, reason: error.message))
        }
        let decoded: TextDecoder.Decoded
        switch bytes.withUnsafeBufferPointer({ options.decoder.decode($0) }) {
        case .success(let value): decoded = value
        case .failure(let failure): return .rejected(SourceRejection(source: file.source, reason: failure.reason))
        }
        let name = file.source.split(separator: "/").last.map(String.init) ?? file.source
        let hash = SHA256.hex(bytes)
        let text: String
        let title: String
        switch file.format {
        case .markdown:
            text = decoded.text
            title = DocumentTitle.markdownHeading(of: text) ?? DocumentTitle.firstLine(of: text) ?? name
        case .html:
            let heading: String?
            (text, heading) = HTMLText.extract(decoded.text)
            title = heading ?? DocumentTitle.firstLine(of: text) ?? name
        default:
            text = decoded.text
            title = DocumentTitle.firstLine(of: text) ?? name
        }
        return .document(SourceDocument(source: file.source, title: title, sha256: hash, bytes: bytes.count, charset: decoded.charset, text: text))
    }

    /// The reason a file over the size limit is rejected.
    static func tooLarge(_ size: Int, limit: Int) -> String {
        "larger than the \(limit % (1 << 20) == 0 ? "\(limit >> 20) MB" : "\(limit)-byte") limit (\(size) bytes)"
    }
}
