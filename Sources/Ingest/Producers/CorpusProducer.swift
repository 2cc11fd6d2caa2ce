import CoreMetrics
import Extraction
import Foundation
import GraphStore
import Logging
import Registry
import Synchronization

/// The producer of `ingest` and `reindex`: reads files, skips documents loaded with the same
/// content and extractor fingerprint, claims the rest from the registry's queue, and extracts
/// what it claimed on all cores.
///
/// ```
/// files ─▶ read (workers) ─▶ plan (skip unchanged) ─▶ claim + extract (all cores) ─▶ documents out
///                                                            ▲
///                  wait: documents other workers held ───────┘ (re-read once their lease ends)
/// ```
/// The records of one JSONL or CSV file travel in small groups, so that one big file is
/// extracted by every worker, not by one. Each extraction task claims its group just before it
/// extracts it, so a process holds only what it is about to work on and several processes over
/// one corpus share it at the pace they extract. A document another worker holds is set aside;
/// after the main pass the producer waits until each is loaded by its holder or free again, and
/// then reads and claims it again (``QueueWorker/waitForOthers(_:context:idle:takeUp:)``).
package struct CorpusProducer: DocumentProducer {
    let reader: CorpusReader
    let extractor: Extractor
    let files: [CorpusReader.SourceFile]
    /// Paths given that do not exist: dead letters of the read stage.
    let missing: [SourceRejection]
    let configuration: PipelineConfiguration
    /// This process in the registry's queue: the claims, and the plan's look-ups.
    let worker: QueueWorker

    /// Documents per group between the read, plan and extract stages.
    static let groupSize = 32

    package init(reader: CorpusReader, extractor: Extractor, files: [CorpusReader.SourceFile],
                 missing: [SourceRejection], configuration: PipelineConfiguration, worker: QueueWorker) {
        self.reader = reader
        self.extractor = extractor
        self.files = files
        self.missing = missing
        self.configuration = configuration
        self.worker = worker
    }

    /// A read document with the facts of the file it came from.
    struct ReadDocument: ExtractableDocument {
        var document: SourceDocument
        var fileSize: Int64?
        var fileModified: Date?
        /// The file it was read from (read again when another worker held it).
        var file: CorpusReader.SourceFile
    }

    package func produce(into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        context.tally.expecting(files.count)
        try await context.deadLetters.record(missing.map { DocumentFailure(source: $0.source, stage: .read, reason: $0.description) })
        let fileQueue = context.queues.make(CorpusReader.SourceFile.self, capacity: 64)
        let readQueue = context.queues.make([ReadDocument].self, capacity: 8)
        let extractQueue = context.queues.make([ReadDocument].self, capacity: 8)
        let retryQueue = context.queues.make([ReadDocument].self, capacity: 2)
        let mainPassDone = context.queues.make(Bool.self, capacity: 1)
        let readWorkers = max(1, configuration.extractionWorkers / 2)
        let extractionWorkers = configuration.extractionWorkers
        let sessions = try (0..<extractionWorkers).map { _ in try SessionBox(extractor.makeSession()) }
        let setAside = SetAsideDocuments<CorpusReader.SourceFile>()

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
            let mainPassLeft = Countdown(extractionWorkers) { mainPassDone.finish() }
            let extractorsLeft = Countdown(extractionWorkers) { output.finish() }
            for session in sessions {
                group.addStage(context.queues) {
                    defer { extractorsLeft.done() }
                    while let documents = await extractQueue.next() {
                        try await claimAndExtract(documents, session: session, setAside: setAside, into: output, context: context)
                    }
                    mainPassLeft.done()
                    while let documents = await retryQueue.next() {
                        defer { setAside.retried() }
                        try await claimAndExtract(documents, session: session, setAside: setAside, into: output, context: context)
                    }
                }
            }
            group.addStage(context.queues) {
                while await mainPassDone.next() != nil {}
                // An empty group asks the commit stage to commit its open batch.
                try await worker.waitForOthers(setAside, context: context, idle: { await output.send([]) }) { free in
                    try await readAgain(free, setAside: setAside, into: retryQueue)
                }
                retryQueue.finish()
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
        while let items = context.tally.time(.read, { batches.next() }) {
            var documents: [ReadDocument] = []
            var rejections: [DocumentFailure] = []
            for item in items {
                switch item {
                case .document(let document):
                    documents.append(ReadDocument(document: document, fileSize: facts?.size, fileModified: facts?.modified, file: file))
                case .rejected(let rejection):
                    rejections.append(DocumentFailure(source: rejection.source, stage: .read, reason: rejection.description))
                }
            }
            context.tally.read(documents.count)
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
        let unchanged = try await context.tally.time(.plan) {
            try await worker.queue.unchangedSources(batch.map { ReindexCandidate(source: $0.document.source, sha256: $0.document.sha256) },
                                                    fingerprint: extractor.fingerprint)
        }
        // Touched but identical files: record their new size and time so that the next
        // reindex judges them by stat alone again.
        let touched = batch.compactMap { read -> FileFacts? in
            guard unchanged.contains(read.document.source), let size = read.fileSize, let modified = read.fileModified else { return nil }
            return FileFacts(source: read.document.source, sha256: read.document.sha256, fileSize: size, fileModified: modified)
        }
        if !touched.isEmpty { _ = try await worker.queue.recordFileFacts(touched) }
        context.tally.unchanged(unchanged.count)
        let work = batch.filter { !unchanged.contains($0.document.source) }
        var start = 0
        while start < work.count {
            let end = min(work.count, start + Self.groupSize)
            await output.send(Array(work[start..<end]))
            start = end
        }
    }

    /// Claims a group and extracts it (``QueueWorker/claimAndExtract(_:fingerprint:session:setAside:payload:hold:into:context:)``).
    func claimAndExtract(_ documents: [ReadDocument], session: SessionBox, setAside: SetAsideDocuments<CorpusReader.SourceFile>,
                         into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        try await worker.claimAndExtract(documents, fingerprint: extractor.fingerprint, session: session, setAside: setAside, payload: \.file,
                                         hold: configuration.faults.holdAfterClaim, into: output, context: context)
    }

    /// Reads the files of documents taken up again, keeping only those documents, and sends them
    /// to the extraction tasks, which claim them. A document gone from its file since is left to
    /// a later reindex.
    func readAgain(_ free: [SetAsideDocuments<CorpusReader.SourceFile>.Entry], setAside: SetAsideDocuments<CorpusReader.SourceFile>,
                   into retryQueue: BoundedQueue<[ReadDocument]>) async throws {
        for (file, group) in Dictionary(grouping: free, by: \.payload) {
            let wanted = Set(group.map(\.source))
            var batches = reader.batches(of: file, batchSize: Self.groupSize)
            let facts = file.format == .jsonl || file.format == .csv ? nil : FileStat(path: file.path)
            while let items = batches.next() {
                let documents: [ReadDocument] = items.compactMap { item in
                    guard case .document(let document) = item, wanted.contains(document.source) else { return nil }
                    return ReadDocument(document: document, fileSize: facts?.size, fileModified: facts?.modified, file: file)
                }
                if !documents.isEmpty {
                    setAside.sending()
                    await retryQueue.send(documents)
                }
            }
        }
    }
}

/// A document a producer has read and claims before extracting it.
package protocol ExtractableDocument: ClaimableDocument {
    var document: SourceDocument { get }
    var fileSize: Int64? { get }
    var fileModified: Date? { get }
}

extension QueueWorker {
    /// Claims a group from the registry's queue and extracts what it got with one worker's
    /// session. A document that fails extraction is a dead letter and `failed` in the registry;
    /// a source the run met before is a dead letter and keeps the first.
    func claimAndExtract<Document: ExtractableDocument, Payload: Sendable & Hashable>(
        _ documents: [Document], fingerprint: String, session: SessionBox, setAside: SetAsideDocuments<Payload>,
        payload: (Document) -> Payload, hold: Duration?, into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext
    ) async throws {
        let claim = try await claim(documents, fingerprint: fingerprint, setAside: setAside, payload: payload, context: context)
        try await context.deadLetters.record(claim.duplicates.map {
            DocumentFailure(source: $0, stage: .load, reason: "document \($0) appears twice in this run; the first one was kept")
        })
        guard !claim.claimed.isEmpty else { return }
        if let hold { try await Task.sleep(for: hold) }
        context.tally.extracting(claim.claimed.count)
        var loads: [DocumentLoad] = []
        loads.reserveCapacity(claim.claimed.count)
        var failures: [DocumentFailure] = []
        for (read, registered) in claim.claimed {
            do {
                let extracted = try context.tally.time(.extract) { try session.session.extract(read.document) }
                var load = DocumentLoad(extracted, fileSize: read.fileSize, fileModified: read.fileModified, ledger: context.ledger)
                load.registered = registered
                loads.append(load)
            } catch {
                failures.append(DocumentFailure(source: read.document.source, stage: .extract, reason: "\(error)"))
            }
        }
        if !failures.isEmpty {
            try await context.deadLetters.record(failures)
            try await fail(failures)
        }
        if !loads.isEmpty { await output.send(loads) }
    }
}

extension CorpusProducer.ReadDocument {
    /// What the registry's claim needs to know of the document.
    var registration: DocumentRegistration {
        DocumentRegistration(source: document.source, sha256: document.sha256, bytes: Int64(document.bytes), charset: document.charset,
                             fileSize: fileSize, fileModified: fileModified)
    }
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
