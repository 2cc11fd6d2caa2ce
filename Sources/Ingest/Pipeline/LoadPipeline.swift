import Extraction
import GraphStore
import Registry

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
    public let progress: ProgressReporter

    public init(committer: BatchCommitter, registry: RegistryStore, documentsPerBatch: Int = 1_000,
                relationshipsPerBatch: Int = 5_000, progress: ProgressReporter) {
        self.committer = committer
        self.registry = registry
        self.documentsPerBatch = max(1, documentsPerBatch)
        self.relationshipsPerBatch = max(1, relationshipsPerBatch)
        self.progress = progress
    }

    /// Loads the file at `path` ("-" for standard input).
    /// - Throws: `ExtractionError` when the file cannot be opened; server errors.
    public func run(path: String) async throws -> IngestSummary {
        var reader = try InterchangeReader(path: path)
        let started = ContinuousClock.now
        let figures = PipelineFigures()
        var entities: [String: InterchangeRecord.Entity] = [:]
        var batch: [DocumentLoad] = []
        var indexBySource: [String: Int] = [:]
        var written = Set<String>()
        var failures: [DocumentFailure] = []
        var relationships = 0

        func commitBatch() async throws {
            guard !batch.isEmpty else { return }
            let outcome = try await committer.commit(batch)
            figures.record(outcome, bytes: batch.reduce(0) { $0 + $1.bytes })
            failures += outcome.failures
            progress.update {
                $0.documents += outcome.loaded
                $0.mentions += outcome.mentions
                $0.bytes += batch.reduce(0) { $0 + $1.bytes }
            }
            written.formUnion(batch.map(\.source))
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
                entities[entity.key] = entity
            case .document(let document):
                if indexBySource[document.source] != nil || written.contains(document.source) {
                    failures.append(DocumentFailure(source: "\(path):\(reader.line)", stage: .load,
                                                    reason: "\(path):\(reader.line): document \(document.source) appears twice"))
                    continue
                }
                if batch.count >= documentsPerBatch || relationships >= relationshipsPerBatch {
                    try await commitBatch()
                }
                indexBySource[document.source] = batch.count
                batch.append(DocumentLoad(source: document.source, title: document.title, sha256: document.sha256,
                                          bytes: Int64(document.bytes), charset: document.charset, mentions: []))
            case .mention(let mention):
                guard let index = indexBySource[mention.source], let entity = entities[mention.key] else {
                    let why = written.contains(mention.source)
                        ? "mention of \(mention.source) after its document was written: keep a document's mention lines together after its document line"
                        : "mention of \(mention.source) names an entity or document with no earlier line"
                    failures.append(DocumentFailure(source: "\(path):\(reader.line)", stage: .load, reason: "\(path):\(reader.line): \(why)"))
                    continue
                }
                if let existing = batch[index].mentions.firstIndex(where: { $0.key == mention.key }) {
                    batch[index].mentions[existing].count += mention.count
                    batch[index].mentions[existing].offsets = Array((batch[index].mentions[existing].offsets
                        + mention.spans.map { Int64($0.lowerBound) }).sorted().prefix(GraphMentionRow.maximumOffsets))
                } else {
                    batch[index].mentions.append(EntityMentionLoad(
                        key: entity.key, name: entity.name, type: entity.type, count: mention.count,
                        offsets: mention.spans.prefix(GraphMentionRow.maximumOffsets).map { Int64($0.lowerBound) }))
                    relationships += 1
                }
            }
        }
        try await commitBatch()
        if !failures.isEmpty {
            for failure in failures { writeStandardError("graphingest load: \(failure.reason)\n") }
            figures.add(\.deadLetters, failures.count)
            try await registry.addDeadLetters(failures.map {
                DeadLetterInput(runID: committer.runID, source: $0.source, stage: DeadLetterStage($0.stage), error: $0.reason, payload: $0.payload)
            })
        }
        progress.finish()
        return figures.summary(seconds: (ContinuousClock.now - started).seconds)
    }
}
