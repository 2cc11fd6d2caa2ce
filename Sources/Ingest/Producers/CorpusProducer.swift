import Extraction
import Foundation
import GraphStore
import Registry

/// The producer of `ingest` and `reindex`: reads files, skips documents loaded with the same
/// content and extractor fingerprint, and extracts the rest on all cores.
///
/// ```
/// files ─▶ read (workers) ─▶ plan (skip unchanged) ─▶ extract (all cores) ─▶ documents out
/// ```
/// The records of one JSONL or CSV file travel in small groups, so that one big file is
/// extracted by every worker, not by one.
package struct CorpusProducer: DocumentProducer {
    let reader: CorpusReader
    let extractor: Extractor
    let registry: RegistryStore
    let files: [CorpusReader.SourceFile]
    /// Paths given that do not exist: dead letters of the read stage.
    let missing: [SourceRejection]
    let configuration: PipelineConfiguration

    /// Documents per group between the read, plan and extract stages.
    static let groupSize = 32

    package init(reader: CorpusReader, extractor: Extractor, registry: RegistryStore, files: [CorpusReader.SourceFile],
                 missing: [SourceRejection], configuration: PipelineConfiguration) {
        self.reader = reader
        self.extractor = extractor
        self.registry = registry
        self.files = files
        self.missing = missing
        self.configuration = configuration
    }

    /// A read document with the facts of the file it came from.
    struct ReadDocument: Sendable {
        var document: SourceDocument
        var fileSize: Int64?
        var fileModified: Date?
    }

    package func produce(into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        context.progress.update { $0.expectedDocuments = files.count }
        try await context.deadLetters.record(missing.map { DocumentFailure(source: $0.source, stage: .read, reason: $0.description) })
        let fileQueue = context.queues.make(CorpusReader.SourceFile.self, capacity: 64)
        let readQueue = context.queues.make([ReadDocument].self, capacity: 8)
        let extractQueue = context.queues.make([ReadDocument].self, capacity: 8)
        let readWorkers = max(1, configuration.extractionWorkers / 2)
        let extractionWorkers = configuration.extractionWorkers
        let sessions = try (0..<extractionWorkers).map { _ in try SessionBox(extractor.makeSession()) }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addStage(context.queues) {
                for file in files { await fileQueue.send(file) }
                fileQueue.finish()
            }
            let readersLeft = Countdown(readWorkers) { readQueue.finish() }
            for _ in 0..<readWorkers {
                group.addStage(context.queues) {
                    defer { readersLeft.done() }
                    while let file = await fileQueue.next() {
                        try await read(file, into: readQueue, context: context)
                    }
                }
            }
            group.addStage(context.queues) {
                try await plan(readQueue, into: extractQueue, context: context)
                extractQueue.finish()
            }
            let extractorsLeft = Countdown(extractionWorkers) { output.finish() }
            for session in sessions {
                group.addStage(context.queues) {
                    defer { extractorsLeft.done() }
                    while let documents = await extractQueue.next() {
                        try await extract(documents, session: session, into: output, context: context)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    // MARK: Stages

    /// Reads one file (decode and hash) in groups, as it reads: a JSONL or CSV file streams in
    /// groups of records, so memory holds a few groups, not the file. Rejections become dead
    /// letters.
    func read(_ file: CorpusReader.SourceFile, into queue: BoundedQueue<[ReadDocument]>, context: PipelineContext) async throws {
        let isContainer = file.format == .jsonl || file.format == .csv
        let facts = isContainer ? nil : FileStat(path: file.path)
        var batches = reader.batches(of: file, batchSize: Self.groupSize)
        while let items = context.figures.time(\.readNanoseconds, { batches.next() }) {
            var documents: [ReadDocument] = []
            var rejections: [DocumentFailure] = []
            for item in items {
                switch item {
                case .document(let document):
                    documents.append(ReadDocument(document: document, fileSize: facts?.size, fileModified: facts?.modified))
                case .rejected(let rejection):
                    rejections.append(DocumentFailure(source: rejection.source, stage: .read, reason: rejection.description))
                }
            }
            context.figures.add(\.read, documents.count)
            try await context.deadLetters.record(rejections)
            if !documents.isEmpty { await queue.send(documents) }
        }
    }

    /// Skips documents loaded with the same content and extractor fingerprint, a registry
    /// look-up per `planBatchSize` documents.
    func plan(_ input: BoundedQueue<[ReadDocument]>, into output: BoundedQueue<[ReadDocument]>, context: PipelineContext) async throws {
        var pending: [ReadDocument] = []
        while let documents = await input.next() {
            pending += documents
            if pending.count >= configuration.planBatchSize {
                try await skipUnchanged(pending, into: output, context: context)
                pending = []
            }
        }
        try await skipUnchanged(pending, into: output, context: context)
    }

    private func skipUnchanged(_ batch: [ReadDocument], into output: BoundedQueue<[ReadDocument]>, context: PipelineContext) async throws {
        guard !batch.isEmpty else { return }
        let plan = try await context.figures.time(\.planNanoseconds) {
            try await registry.classify(batch.map { ReindexCandidate(source: $0.document.source, sha256: $0.document.sha256) },
                                        fingerprint: extractor.fingerprint)
        }
        let unchanged = Set(plan.unchanged.map(\.source))
        // Touched but identical files: record their new size and time so that the next
        // reindex judges them by stat alone again.
        let touched = batch.compactMap { read -> FileFacts? in
            guard unchanged.contains(read.document.source), let size = read.fileSize, let modified = read.fileModified else { return nil }
            return FileFacts(source: read.document.source, sha256: read.document.sha256, fileSize: size, fileModified: modified)
        }
        if !touched.isEmpty { _ = try await registry.recordFileFacts(touched) }
        context.figures.add(\.unchanged, unchanged.count)
        context.progress.update { $0.skipped += unchanged.count }
        let work = batch.filter { !unchanged.contains($0.document.source) }
        var start = 0
        while start < work.count {
            let end = min(work.count, start + Self.groupSize)
            await output.send(Array(work[start..<end]))
            start = end
        }
    }

    /// Extracts a group with one worker's session; a document that fails is a dead letter.
    func extract(_ documents: [ReadDocument], session: SessionBox, into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        context.figures.add(\.extracted, documents.count)
        var loads: [DocumentLoad] = []
        loads.reserveCapacity(documents.count)
        for read in documents {
            let load: DocumentLoad
            do {
                let extracted = try context.figures.time(\.extractNanoseconds) { try session.session.extract(read.document) }
                load = DocumentLoad(extracted, fileSize: read.fileSize, fileModified: read.fileModified, ledger: context.ledger)
            } catch {
                try await context.deadLetters.record([DocumentFailure(source: read.document.source, stage: .extract, reason: "\(error)")])
                continue
            }
            loads.append(load)
        }
        if !loads.isEmpty { await output.send(loads) }
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
            },
            chunks: ChunkLoad.assigningMentions(extracted.chunks.map(ChunkLoad.init), spans: extracted.entities.map(\.spans)),
            pairs: extracted.pairs, cooccurrence: extracted.cooccurrence)
    }
}
