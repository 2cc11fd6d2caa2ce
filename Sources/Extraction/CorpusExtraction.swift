import Synchronization

/// Reads and extracts a whole corpus on several workers and hands back the results in input
/// order, so the output is the same whatever the number of workers.
///
/// The work is cut into units: a plain file, or a batch of the records of a JSONL or CSV file, so
/// one big file of records keeps every worker busy. A worker that is free takes the next unit
/// (reading a batch of records under a lock, since a file is read in order; a plain file is read
/// by the worker itself) and extracts it with its own `ExtractionSession`. Results are delivered
/// in unit order as soon as the units before them are done. Memory is bounded: no more than
/// `workers` units are in progress, and no more than `4 × workers` finished units wait for an
/// earlier one.
public enum CorpusExtraction {
    /// What one file, or one batch of a JSONL or CSV file's records, gave.
    public struct FileResult: Sendable {
        /// The file.
        public var file: CorpusReader.SourceFile
        /// The batch of the file's records, from 0 (always 0 for a plain file); a file's batches
        /// are delivered one after another, in order.
        public var batch: Int
        /// Its documents, extracted, in record order.
        public var documents: [ExtractedDocument]
        /// Its rejected records, or the file itself.
        public var rejections: [SourceRejection]
    }

    /// Records in one unit of work: enough to outweigh taking a unit, few enough to share a file
    /// of records among the workers. A unit also ends once its records hold `unitBytes` bytes.
    static let unitItems = 256
    static let unitBytes = 1 << 19

    /// Runs `reader`'s files through `extractor` on `workers` tasks.
    /// - Parameters:
    ///   - files: the files to read (usually `reader.files().files`).
    ///   - deliver: called on the caller's task with each result, in file and record order.
    /// - Throws: what `deliver` throws, or an `ExtractionError` when a session cannot be opened.
    ///   A document whose extraction fails becomes a rejection of its result.
    public static func run(
        files: [CorpusReader.SourceFile], reader: CorpusReader, extractor: Extractor, workers: Int,
        deliver: (FileResult) throws -> Void
    ) async throws {
        let workers = max(1, workers)
        var sessions: [SessionBox] = []
        for _ in 0..<workers { sessions.append(SessionBox(try extractor.makeSession())) }
        let pool = SessionPool(sessions)
        let source = WorkSource(files: files, reader: reader)
        let window = 4 * workers
        try await withThrowingTaskGroup(of: (sequence: Int, result: FileResult)?.self) { group in
            var running = 0
            var exhausted = false
            var waiting: [Int: FileResult] = [:]
            var nextToDeliver = 0
            while true {
                while !exhausted && running < workers && waiting.count < window {
                    group.addTask {
                        guard let unit = source.next() else { return nil }
                        return pool.withSession { (unit.sequence, process(unit, reader: reader, session: $0)) }
                    }
                    running += 1
                }
                guard running > 0, let finished = try await group.next() else { break }
                running -= 1
                guard let (sequence, result) = finished else {
                    exhausted = true
                    continue
                }
                waiting[sequence] = result
                while let result = waiting.removeValue(forKey: nextToDeliver) {
                    try deliver(result)
                    nextToDeliver += 1
                }
            }
        }
    }

    /// Reads (a plain file) and extracts one unit with one session.
    static func process(_ unit: WorkSource.Unit, reader: CorpusReader, session: ExtractionSession) -> FileResult {
        var result = FileResult(file: unit.file, batch: unit.batch, documents: [], rejections: [])
        for item in unit.items ?? reader.read(unit.file) {
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

/// A worker's extraction session, to hand to the task that uses it.
// @unchecked Sendable: a box is used by one task at a time. Here `SessionPool` hands it out and
// takes it back under its lock, and no more tasks run than there are boxes; Ingest's producer
// gives each of its extraction tasks a box of its own for the task's lifetime.
package final class SessionBox: @unchecked Sendable {
    package let session: ExtractionSession
    package init(_ session: ExtractionSession) { self.session = session }
}

/// The sessions of the workers, lent to one task at a time.
private final class SessionPool: Sendable {
    private let free: Mutex<[SessionBox]>

    init(_ sessions: [SessionBox]) { free = Mutex(sessions) }

    func withSession<Result>(_ body: (ExtractionSession) -> Result) -> Result {
        guard let box = free.withLock({ $0.popLast() }) else { preconditionFailure("more extraction tasks than sessions") }
        defer { free.withLock { $0.append(box) } }
        return body(box.session)
    }
}
