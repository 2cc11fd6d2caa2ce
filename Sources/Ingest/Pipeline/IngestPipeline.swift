import Extraction
import Foundation
import GraphStore
import Registry
import Synchronization

/// `graphingest ingest`: read, skip what is unchanged, extract, write, register, as stages joined
/// by bounded queues so memory stays flat however large the corpus.
///
/// ```
/// files ─▶ read (workers) ─▶ plan (skip unchanged) ─▶ extract (all cores) ─▶ batch ─▶ commit (graph writers)
/// ```
/// Reading and extraction run on all cores; commits run on `writers` concurrent tasks, each a
/// graph write followed by a registry commit (``BatchCommitter``).
public struct IngestPipeline: Sendable {
    /// How the stages are sized.
    public struct Options: Sendable {
        /// Extraction (and reading) tasks; default all cores.
        public var extractionWorkers: Int
        /// Concurrent graph-and-registry commits.
        public var writers: Int
        /// Documents per commit batch.
        public var documentsPerBatch: Int
        /// Mention relationships per commit batch (a batch closes at whichever comes first).
        public var relationshipsPerBatch: Int
        /// Documents per registry look-up when skipping unchanged ones.
        public var planBatchSize: Int

        public init(extractionWorkers: Int = ProcessInfo.processInfo.activeProcessorCount, writers: Int = 2,
                    documentsPerBatch: Int = 1_000, relationshipsPerBatch: Int = 5_000, planBatchSize: Int = 512) {
            self.extractionWorkers = max(1, extractionWorkers)
            self.writers = max(1, writers)
            self.documentsPerBatch = max(1, documentsPerBatch)
            self.relationshipsPerBatch = max(1, relationshipsPerBatch)
            self.planBatchSize = max(1, planBatchSize)
        }
    }

    public let reader: CorpusReader
    public let extractor: Extractor
    public let committer: BatchCommitter
    public let registry: RegistryStore
    public let options: Options
    public let progress: ProgressReporter

    public init(reader: CorpusReader, extractor: Extractor, committer: BatchCommitter, registry: RegistryStore,
                options: Options, progress: ProgressReporter) {
        self.reader = reader
        self.extractor = extractor
        self.committer = committer
        self.registry = registry
        self.options = options
        self.progress = progress
    }

    /// A read document with the facts of the file it came from.
    struct ReadDocument: Sendable {
        var document: SourceDocument
        var fileSize: Int64?
        var fileModified: Date?
    }

    /// Runs the pipeline over `files` (from `reader.files()`).
    ///
    /// - Throws: when a server fails in a way rows cannot be blamed for; what was committed
    ///   before stays committed, and a rerun continues from there.
    public func run(files: [CorpusReader.SourceFile], missing: [SourceRejection]) async throws -> IngestSummary {
        let figures = PipelineFigures()
        let started = ContinuousClock.now
        progress.update { $0.expectedDocuments = files.count }
        try await recordFailures(missing.map { DocumentFailure(source: $0.source, stage: .read, reason: $0.description) }, figures: figures)

        let fileQueue = BoundedQueue<CorpusReader.SourceFile>(capacity: 64)
        let readQueue = BoundedQueue<[ReadDocument]>(capacity: 8)
        let extractQueue = BoundedQueue<[ReadDocument]>(capacity: 8)
        let loadQueue = BoundedQueue<DocumentLoad>(capacity: 256)
        let commitQueue = BoundedQueue<[DocumentLoad]>(capacity: options.writers)
        let readWorkers = max(1, options.extractionWorkers / 2)
        let cancelAll: @Sendable () -> Void = {
            fileQueue.cancel()
            readQueue.cancel()
            extractQueue.cancel()
            loadQueue.cancel()
            commitQueue.cancel()
        }

        try await withThrowingTaskGroup(of: Void.self) { group in
            // Files in.
            group.addStage(cancelAll) {
                for file in files { await fileQueue.send(file) }
                fileQueue.finish()
            }
            // Read: decode and hash; rejections become dead letters.
            let readersLeft = Countdown(readWorkers) { readQueue.finish() }
            for _ in 0..<readWorkers {
                group.addStage(cancelAll) {
                    defer { readersLeft.done() }
                    while let file = await fileQueue.next() {
                        let (documents, rejections) = figures.time(\.readNanoseconds) { self.read(file) }
                        figures.add(\.read, documents.count)
                        try await self.recordFailures(rejections.map { DocumentFailure(source: $0.source, stage: .read, reason: $0.description) }, figures: figures)
                        if !documents.isEmpty { await readQueue.send(documents) }
                    }
                }
            }
            // Plan: skip documents loaded with the same content and extractor fingerprint.
            group.addStage(cancelAll) {
                var pending: [ReadDocument] = []
                func flush() async throws {
                    guard !pending.isEmpty else { return }
                    let batch = pending
                    pending = []
                    let plan = try await figures.time(\.planNanoseconds) {
                        try await self.registry.planReindex(roots: [], found: batch.map {
                            ReindexCandidate(source: $0.document.source, sha256: $0.document.sha256)
                        }, fingerprint: self.extractor.fingerprint)
                    }
                    let unchanged = Set(plan.unchanged.map(\.source))
                    let work = batch.filter { !unchanged.contains($0.document.source) }
                    // Touched but identical files: record their new size and time so that the
                    // next reindex judges them by stat alone again.
                    let touched = batch.compactMap { read -> FileFacts? in
                        guard unchanged.contains(read.document.source), let size = read.fileSize, let modified = read.fileModified else { return nil }
                        return FileFacts(source: read.document.source, sha256: read.document.sha256, fileSize: size, fileModified: modified)
                    }
                    if !touched.isEmpty { try await self.registry.recordFileFacts(touched) }
                    figures.add(\.unchanged, unchanged.count)
                    self.progress.update { $0.skipped += unchanged.count }
                    if !work.isEmpty { await extractQueue.send(work) }
                }
                while let documents = await readQueue.next() {
                    pending += documents
                    if pending.count >= self.options.planBatchSize { try await flush() }
                }
                try await flush()
                extractQueue.finish()
            }
            // Extract: one session per worker.
            let extractorsLeft = Countdown(options.extractionWorkers) { loadQueue.finish() }
            for _ in 0..<options.extractionWorkers {
                let session = try SessionBox(extractor.makeSession())
                group.addStage(cancelAll) {
                    defer { extractorsLeft.done() }
                    while let documents = await extractQueue.next() {
                        figures.add(\.extracted, documents.count)
                        for read in documents {
                            let load: DocumentLoad?
                            do {
                                let extracted = try figures.time(\.extractNanoseconds) { try session.session.extract(read.document) }
                                load = DocumentLoad(extracted, fileSize: read.fileSize, fileModified: read.fileModified, ledger: self.committer.ledger)
                            } catch {
                                load = nil
                                try await self.recordFailures([DocumentFailure(source: read.document.source, stage: .extract, reason: "\(error)")], figures: figures)
                            }
                            if let load { await loadQueue.send(load) }
                        }
                    }
                }
            }
            // Batch: close a batch at the document or relationship bound.
            group.addStage(cancelAll) {
                var batch: [DocumentLoad] = []
                var relationships = 0
                while let load = await loadQueue.next() {
                    batch.append(load)
                    relationships += load.mentions.count
                    if batch.count >= self.options.documentsPerBatch || relationships >= self.options.relationshipsPerBatch {
                        await commitQueue.send(batch)
                        batch = []
                        relationships = 0
                    }
                }
                if !batch.isEmpty { await commitQueue.send(batch) }
                commitQueue.finish()
            }
            // Commit: graph write, then registry.
            for _ in 0..<options.writers {
                group.addStage(cancelAll) {
                    while let batch = await commitQueue.next() {
                        let outcome = try await figures.time(\.commitNanoseconds) { try await self.committer.commit(batch) }
                        figures.record(outcome, bytes: batch.reduce(0) { $0 + $1.bytes })
                        try await self.recordFailures(outcome.failures, figures: figures)
                        self.progress.update {
                            $0.documents += outcome.loaded
                            $0.bytes += batch.reduce(0) { $0 + $1.bytes }
                            $0.mentions += outcome.mentions
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        progress.finish()
        return figures.summary(seconds: (ContinuousClock.now - started).seconds)
    }

    /// Reads one file, adding its size and modification time to plain-file documents.
    func read(_ file: CorpusReader.SourceFile) -> ([ReadDocument], [SourceRejection]) {
        var documents: [ReadDocument] = []
        var rejections: [SourceRejection] = []
        let isContainer = file.format == .jsonl || file.format == .csv
        let facts = isContainer ? nil : FileStat(path: file.path)
        for item in reader.read(file) {
            switch item {
            case .document(let document):
                documents.append(ReadDocument(document: document, fileSize: facts?.size, fileModified: facts?.modified))
            case .rejected(let rejection):
                rejections.append(rejection)
            }
        }
        return (documents, rejections)
    }

    /// Reports failures on stderr and records them as dead letters of this run.
    func recordFailures(_ failures: [DocumentFailure], figures: PipelineFigures) async throws {
        guard !failures.isEmpty else { return }
        for failure in failures {
            writeStandardError("graphingest: \(failure.stage.rawValue) failed: \(failure.reason)\n")
        }
        figures.add(\.deadLetters, failures.count)
        progress.update { $0.deadLetters += failures.count }
        try await registry.addDeadLetters(failures.map {
            DeadLetterInput(runID: committer.runID, source: $0.source, stage: DeadLetterStage($0.stage), error: $0.reason, payload: $0.payload)
        })
    }
}

extension ThrowingTaskGroup where ChildTaskResult == Void, Failure == any Error {
    /// Adds a pipeline stage: when it fails, every queue is cancelled so the other stages end too
    /// (they would otherwise wait forever on a stage that stopped reading), then the error
    /// propagates out of the group.
    mutating func addStage(_ cancelAll: @escaping @Sendable () -> Void, _ body: @escaping @Sendable () async throws -> Void) {
        addTask {
            do {
                try await body()
            } catch {
                cancelAll()
                throw error
            }
        }
    }
}

/// Calls `action` once `done()` has been called `count` times.
final class Countdown: Sendable {
    private let remaining: Mutex<Int>
    private let action: @Sendable () -> Void

    init(_ count: Int, action: @escaping @Sendable () -> Void) {
        self.remaining = Mutex(count)
        self.action = action
    }

    func done() {
        let last = remaining.withLock { value -> Bool in
            value -= 1
            return value == 0
        }
        if last { action() }
    }
}

/// An extraction session handed to one worker task; it never leaves that task.
final class SessionBox: @unchecked Sendable {
    // Safe: each box is used by exactly one task, which owns the session for its lifetime.
    let session: ExtractionSession
    init(_ session: ExtractionSession) { self.session = session }
}

extension DocumentLoad {
    /// A load from what the extractor found, its entities numbered in `ledger`.
    init(_ extracted: ExtractedDocument, fileSize: Int64?, fileModified: Date?, ledger: EntityLedger) {
        let numbers = ledger.numbers(of: extracted.entities, key: \.key, name: \.name, type: \.type)
        self.init(
            source: extracted.source, title: extracted.title, sha256: extracted.sha256, bytes: Int64(extracted.bytes),
            charset: extracted.charset, fileSize: fileSize, fileModified: fileModified,
            mentions: zip(numbers, extracted.entities).map { number, entity in
                EntityMentionLoad(entity: number, count: entity.count,
                                  offsets: entity.spans.prefix(GraphMentionRow.maximumOffsets).map { Int64($0.lowerBound) })
            })
    }
}

extension DeadLetterStage {
    init(_ stage: DocumentFailure.Stage) {
        switch stage {
        case .read: self = .read
        case .extract: self = .extract
        case .load: self = .load
        }
    }
}
