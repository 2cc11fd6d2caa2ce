import Extraction
import Foundation
import Registry

/// What a reindex finds on disk before it asks the registry anything: every plain file judged by
/// `stat` alone (size and modification time), and every record of the JSONL/CSV containers with
/// its SHA-256 (a record has no time of its own, so containers are read whole).
struct ReindexScan: Sendable {
    /// Plain files by source.
    var plainFiles: [String: CorpusReader.SourceFile] = [:]
    /// Container files by source.
    var containerFiles: [String: CorpusReader.SourceFile] = [:]
    /// The container each record came from: record source -> container source.
    var recordContainer: [String: String] = [:]
    /// What was found: plain files with their stat facts, records with their hash.
    var candidates: [ReindexCandidate] = []
    /// Source prefixes a scan cannot vouch for (a container that could not be read as a whole):
    /// their registered documents are never taken for gone.
    var unreadable: Set<String> = []
    /// Paths given that do not exist.
    var missing: [SourceRejection] = []
    /// The registry source prefixes the scan covers in full: `""` when a folder was walked
    /// (sources are relative to the folder), none for a list of files.
    var roots: [String] = []

    /// Walks `reader`'s paths; containers are read on `workers` tasks.
    static func scan(_ reader: CorpusReader, workers: Int) async -> ReindexScan {
        var scan = ReindexScan()
        let (files, missing) = reader.files()
        scan.missing = missing
        scan.roots = reader.paths.contains { path in
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
        } ? [""] : []
        var containers: [CorpusReader.SourceFile] = []
        for file in files {
            if file.format == .jsonl || file.format == .csv {
                scan.containerFiles[file.source] = file
                containers.append(file)
            } else {
                scan.plainFiles[file.source] = file
                let facts = FileStat(path: file.path)
                scan.candidates.append(ReindexCandidate(source: file.source, fileSize: facts?.size, fileModified: facts?.modified))
            }
        }
        // Containers: hash each record; the text is dropped (a container with changes is read
        // again by the pipeline, which extracts only its new and changed records).
        let records = await withTaskGroup(of: (String, [ReindexCandidate], Bool).self) { group in
            var results: [(String, [ReindexCandidate], Bool)] = []
            var next = 0
            func add() {
                guard next < containers.count else { return }
                let file = containers[next]
                next += 1
                group.addTask {
                    var candidates: [ReindexCandidate] = []
                    var whole = true
                    var rejected = false
                    // In batches: the texts go as soon as their hashes are kept.
                    reader.read(file, batchSize: 256) { items in
                        for item in items {
                            switch item {
                            case .document(let document): candidates.append(ReindexCandidate(source: document.source, sha256: document.sha256))
                            case .rejected(let rejection):
                                rejected = true
                                if rejection.line == nil { whole = false }
                            }
                        }
                    }
                    // A container that yields nothing but rejections (a bad header) is unreadable too.
                    return (file.source, candidates, whole && !(rejected && candidates.isEmpty))
                }
            }
            for _ in 0..<max(1, workers) { add() }
            for await result in group {
                results.append(result)
                add()
            }
            return results
        }
        for (container, candidates, whole) in records.sorted(by: { $0.0 < $1.0 }) {
            if !whole { scan.unreadable.insert(container) }
            for candidate in candidates {
                scan.recordContainer[candidate.source] = container
                scan.candidates.append(candidate)
            }
        }
        return scan
    }

    /// Whether a registered source that the scan did not find is really gone: it lies in a
    /// container that was read, and the scan's filters would have taken it (a source the
    /// `--include`/`--exclude` globs leave out, or that no reader handles, was not looked for).
    func isGone(_ source: String, options: CorpusReader.Options) -> Bool {
        let file = Self.fileSource(of: source)
        // A walk names sources relative to its folder; a path given as such (a list of files
        // with absolute or parent paths) lies outside what it covers.
        if unreadable.contains(file) || file.hasPrefix("/") || file.hasPrefix("../") { return false }
        let components = file.split(separator: "/").map(String.init)
        guard let name = components.last, CorpusReader.Format(fileName: name) != nil,
              !components.contains(where: { $0.hasPrefix(".") }) else { return false }
        for depth in 1...components.count {
            let prefix = components.prefix(depth).joined(separator: "/")
            if options.exclude.contains(where: { $0.matches(prefix) }) { return false }
        }
        return options.include.isEmpty || options.include.contains { $0.matches(file) }
    }

    /// The file a source comes from: a record source `file.jsonl#id` names its container.
    static func fileSource(of source: String) -> String {
        var searchFrom = source.startIndex
        while let hash = source[searchFrom...].firstIndex(of: "#") {
            let file = String(source[..<hash])
            if let format = CorpusReader.Format(fileName: file), format == .jsonl || format == .csv { return file }
            searchFrom = source.index(after: hash)
        }
        return source
    }
}
