import Synchronization

/// Reads and extracts a whole corpus on several workers and hands back the results in input
/// order, so the output is the same whatever the number of workers.
///
/// Files are taken in batches (a few per worker): the workers of a batch pull files from a shared
/// counter, each with its own `ExtractionSession`, and the batch's results are delivered in file
/// order before the next batch starts. Memory is bounded by one batch.
public enum CorpusExtraction {
    /// What one file gave.
    public struct FileResult: Sendable {
        /// The file.
        public var file: CorpusReader.SourceFile
        /// Its documents, extracted, in record order.
        public var documents: [ExtractedDocument]
        /// Its rejected records, or the file itself.
        public var rejections: [SourceRejection]
    }

    /// Runs `reader`'s files through `extractor` on `workers` tasks.
    /// - Parameters:
    ///   - files: the files to read (usually `reader.files().files`).
    ///   - deliver: called on the caller's task with each file's result, in file order.
    /// - Throws: what `deliver` throws, or an `ExtractionError` when a session cannot be opened.
    ///   A document whose extraction fails becomes a rejection of its file's result.
    public static func run(
        files: [CorpusReader.SourceFile], reader: CorpusReader, extractor: Extractor, workers: Int,
        deliver: (FileResult) throws -> Void
    ) async throws {
        let workers = max(1, workers)
        var sessions: [SessionBox] = []
        for _ in 0..<workers { sessions.append(SessionBox(try extractor.makeSession())) }
        let batchSize = workers * 8
        var batchStart = 0
        while batchStart < files.count {
            let batch = Array(files[batchStart..<min(files.count, batchStart + batchSize)])
            let next = Counter()
            var results = [FileResult?](repeating: nil, count: batch.count)
            try await withThrowingTaskGroup(of: [(Int, FileResult)].self) { group in
                for box in sessions.prefix(min(workers, batch.count)) {
                    group.addTask {
                        var done: [(Int, FileResult)] = []
                        while true {
                            let index = next.take()
                            guard index < batch.count else { return done }
                            done.append((index, process(batch[index], reader: reader, session: box.session)))
                        }
                    }
                }
                for try await finished in group {
                    for (index, result) in finished { results[index] = result }
                }
            }
            for result in results {
                if let result { try deliver(result) }
            }
            batchStart += batch.count
        }
    }

    /// Reads and extracts one file with one session.
    static func process(_ file: CorpusReader.SourceFile, reader: CorpusReader, session: ExtractionSession) -> FileResult {
        var result = FileResult(file: file, documents: [], rejections: [])
        for item in reader.read(file) {
            switch item {
            case .document(let document):
                do {
                    result.documents.append(try session.extract(document))
                } catch {
                    // One document ICU cannot handle (a regular expression timing out) is
                    // rejected; the rest of the corpus goes on.
                    result.rejections.append(SourceRejection(source: document.source, reason: "extraction failed: \(error.message)"))
                }
            case .rejected(let rejection): result.rejections.append(rejection)
            }
        }
        return result
    }
}

/// A worker's session, handed to the task of that worker in each batch.
// @unchecked Sendable: box i is used only by the i-th task of a batch, and batches run one after
// another, so no two tasks ever touch the same session at once.
private final class SessionBox: @unchecked Sendable {
    let session: ExtractionSession
    init(_ session: ExtractionSession) { self.session = session }
}

/// The next file index of a batch, shared by its workers.
private final class Counter: Sendable {
    private let value = Atomic<Int>(0)
    func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
}
