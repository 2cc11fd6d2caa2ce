import Extraction
import GraphStore
import Registry
import Synchronization

/// `graphingest load`: interchange JSONL (from `extract`, or any other extractor) into the graph
/// and the registry.
///
/// Every line is validated; a bad line becomes a dead letter naming its line number and the rest
/// loads. Lines stream through in batches: a document's mention lines must follow its document
/// line before the batch holding it is written (`extract` writes them that way); a mention that
/// arrives after its document was written is a bad line.
public struct LoadPipeline: Sendable {
    public let committer: BatchCommitter
    public let registry: RegistryStore
    public let documentsPerBatch: Int
    public let relationshipsPerBatch: Int
    /// Concurrent commits (parsing runs alongside them).
    public let writers: Int
    public let progress: ProgressReporter

    public init(committer: BatchCommitter, registry: RegistryStore, documentsPerBatch: Int = 1_000,
                relationshipsPerBatch: Int = 5_000, writers: Int = 2, progress: ProgressReporter) {
        self.committer = committer
        self.registry = registry
        self.documentsPerBatch = max(1, documentsPerBatch)
        self.relationshipsPerBatch = max(1, relationshipsPerBatch)
        self.writers = max(1, writers)
        self.progress = progress
    }

    /// Loads the file at `path` ("-" for standard input): one task parses and builds batches,
    /// `writers` tasks commit them, joined by a bounded queue.
    /// - Throws: `ExtractionError` when the file cannot be opened; server errors.
    public func run(path: String) async throws -> IngestSummary {
        let reader = try InterchangeReader(path: path)
        let started = ContinuousClock.now
        let figures = PipelineFigures()
        let failures = Mutex<[DocumentFailure]>([])
        let batches = BoundedQueue<[DocumentLoad]>(capacity: writers)
        let cancelAll: @Sendable () -> Void = { batches.cancel() }
        let parser = ReaderBox(reader)

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addStage(cancelAll) {
                let parseFailures = try await self.parse(parser.reader, path: path, into: batches)
                failures.withLock { $0 += parseFailures }
            }
            for _ in 0..<writers {
                group.addStage(cancelAll) {
                    while let batch = await batches.next() {
                        let outcome = try await self.committer.commit(batch)
                        let bytes = batch.reduce(0) { $0 + $1.bytes }
                        figures.record(outcome, bytes: bytes)
                        failures.withLock { $0 += outcome.failures }
                        self.progress.update {
                            $0.documents += outcome.loaded
                            $0.mentions += outcome.mentions
                            $0.bytes += bytes
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let all = failures.withLock { $0 }
        if !all.isEmpty {
            for failure in all { writeStandardError("graphingest load: \(failure.reason)\n") }
            figures.add(\.deadLetters, all.count)
            try await registry.addDeadLetters(all.map {
                DeadLetterInput(runID: committer.runID, source: $0.source, stage: DeadLetterStage($0.stage), error: $0.reason, payload: $0.payload)
            })
        }
        progress.finish()
        return figures.summary(seconds: (ContinuousClock.now - started).seconds)
    }

    /// Parses and validates every line, sends batches to `batches`, and returns the bad lines.
    private func parse(_ reader: InterchangeReader, path: String, into batches: BoundedQueue<[DocumentLoad]>) async throws -> [DocumentFailure] {
        var reader = reader
        reader.checksReferences = false  // resolved below, with a message that says what is missing
        let ledger = committer.ledger
        var entityNumbers: [String: Int32] = [:]
        var batch: [DocumentLoad] = []
        var indexBySource: [String: Int] = [:]
        var written = Set<String>()
        var failures: [DocumentFailure] = []
        var relationships = 0
        // For each entity number: the document (counted over the whole file) whose mention list
        // holds it last, and where. Finds a repeated (document, entity) pair without a scan.
        var lastMention: [(document: Int, position: Int)] = []
        var documentsSent = 0

        func send() async {
            guard !batch.isEmpty else { return }
            written.formUnion(batch.map(\.source))
            documentsSent += batch.count
            await batches.send(batch)
            batch = []
            indexBySource = [:]
            relationships = 0
        }

        while true {
            let record: InterchangeRecord?
            do {
                record = try reader.next()
            } catch {
                failures.append(DocumentFailure(source: "\(path):\(reader.line)", stage: .load, reason: error.description))
                if error.code == .unreadable { break }
                continue
            }
            guard let record else { break }
            switch record {
            case .entity(let entity):
                entityNumbers[entity.key] = ledger.number(key: entity.key, name: entity.name, type: entity.type)
            case .document(let document):
                if indexBySource[document.source] != nil || written.contains(document.source) {
                    failures.append(DocumentFailure(source: "\(path):\(reader.line)", stage: .load,
                                                    reason: "\(path):\(reader.line): document \(document.source) appears twice"))
                    continue
                }
                if batch.count >= documentsPerBatch || relationships >= relationshipsPerBatch {
                    await send()
                }
                indexBySource[document.source] = batch.count
                batch.append(DocumentLoad(source: document.source, title: document.title, sha256: document.sha256,
                                          bytes: Int64(document.bytes), charset: document.charset, mentions: []))
            case .mention(let mention):
                // Mention lines follow their document line: most belong to the last document.
                let index = batch.last?.source == mention.source ? batch.count - 1 : indexBySource[mention.source]
                guard let index, let entity = entityNumbers[mention.key] else {
                    let why = written.contains(mention.source)
                        ? "mention of \(mention.source) after its document was written: keep a document's mention lines together after its document line"
                        : "mention of \(mention.source) names an entity or document with no earlier line"
                    failures.append(DocumentFailure(source: "\(path):\(reader.line)", stage: .load, reason: "\(path):\(reader.line): \(why)"))
                    continue
                }
                // The last document's repeated entities are found through `lastMention`; lines of
                // an earlier document (rare: extractors write a document's lines together) scan
                // its list, and leave `lastMention` to the last document.
                let isLast = index == batch.count - 1
                let document = documentsSent + index, slot = Int(entity)
                if slot >= lastMention.count {
                    lastMention += repeatElement((document: -1, position: 0), count: slot + 1 - lastMention.count)
                }
                let known = isLast
                    ? (lastMention[slot].document == document ? lastMention[slot].position : nil)
                    : batch[index].mentions.firstIndex { $0.entity == entity }
                if let existing = known {
                    batch[index].mentions[existing].count += mention.count
                    batch[index].mentions[existing].offsets = Array((batch[index].mentions[existing].offsets
                        + mention.spans.map { Int64($0.lowerBound) }).sorted().prefix(GraphMentionRow.maximumOffsets))
                } else {
                    if isLast { lastMention[slot] = (document, batch[index].mentions.count) }
                    batch[index].mentions.append(EntityMentionLoad(
                        entity: entity, count: mention.count,
                        offsets: mention.spans.prefix(GraphMentionRow.maximumOffsets).map { Int64($0.lowerBound) }))
                    relationships += 1
                }
            }
        }
        await send()
        batches.finish()
        return failures
    }
}

/// The interchange reader handed to the parsing task, which alone uses it.
private final class ReaderBox: @unchecked Sendable {
    // Safe: created before the task group and used only by the one parsing task.
    let reader: InterchangeReader
    init(_ reader: InterchangeReader) { self.reader = reader }
}
