import Extraction
import GraphStore
import Registry

/// Turns interchange records into documents: numbers entities in the run's ledger and gathers a
/// document's mention lines (repeated ones added up) and chunk lines in a window of recent
/// documents.
///
/// A document's FROM_CHUNK are made when it leaves the window, from its mention lines' spans and
/// its chunks' ranges, by the rule `ingest` uses (``ChunkLoad/assigningMentions(_:spans:)``).
/// A bad chunk line fails its document: it leaves the window without landing, and the line is
/// its one dead letter.
package struct InterchangeAssembler {
    /// A document while its lines may still come.
    private struct Pending {
        var load: DocumentLoad
        /// Each entity's spans, in the order of `load.mentions` (the shape ``ChunkMentions``
        /// takes), for the chunks; dropped when the document leaves the window.
        var spans: [[Range<Int>]] = []
        /// Whether an entity's spans came on more than one line (and may be out of order).
        var spansNeedSorting = false
        /// Set by the first bad chunk line: the document does not land.
        var failed = false

        /// The load, its chunks given their mentions.
        func finished() -> DocumentLoad {
            guard !load.chunks.isEmpty else { return load }
            var load = load
            let spans = spansNeedSorting ? self.spans.map { $0.sorted { $0.lowerBound < $1.lowerBound } } : self.spans
            load.chunks = ChunkLoad.assigningMentions(load.chunks, spans: spans)
            return load
        }
    }

    let ledger: EntityLedger
    let window: CommitStage.Bounds
    let name: String
    let embeddings: ChunkEmbeddingDimensions
    private var entityNumbers: [String: Int32] = [:]
    private var documents: [Pending] = []
    /// Complete documents that left the window.
    private var ready: [DocumentLoad] = []
    private var indexBySource: [String: Int] = [:]
    private var relationships = 0
    /// For each entity number: the position in the last document's mention list, valid while
    /// `lastDocument` matches. Finds a repeated (document, entity) pair without a scan.
    private var lastMention: [(document: Int, position: Int)] = []
    /// Documents met so far (a running count that tells documents apart in `lastMention`).
    private var documentsMet = 0

    package init(ledger: EntityLedger, window: CommitStage.Bounds, name: String,
                 embeddings: ChunkEmbeddingDimensions = ChunkEmbeddingDimensions(index: nil)) {
        self.ledger = ledger
        self.window = window
        self.name = name
        self.embeddings = embeddings
    }

    /// A dead letter for `line`.
    func failure(line: Int, _ reason: String) -> DocumentFailure {
        DocumentFailure(source: "\(name):\(line)", stage: .load, reason: reason)
    }

    /// Fails the document `source` for a bad chunk line: the dead letter names the document, the
    /// line and the cause. Nil when the document is not in the window (the caller then records
    /// the line alone).
    mutating func failDocument(_ source: String, line: Int, _ reason: String) -> DocumentFailure? {
        guard let index = position(of: source) else { return nil }
        return fail(index, line: line, reason)
    }

    private mutating func fail(_ index: Int, line: Int, _ reason: String) -> DocumentFailure {
        let alreadyFailed = documents[index].failed
        documents[index].failed = true
        let source = documents[index].load.source
        return DocumentFailure(source: source, stage: .load, reason: "\(name):\(line): \(reason)"
            + (alreadyFailed ? "" : "; document \(source) is not loaded"))
    }

    /// Where `source` is in the window. Most lines belong to the last document.
    private func position(of source: String) -> Int? {
        documents.last?.load.source == source ? documents.count - 1 : indexBySource[source]
    }

    /// Adds a record; returns a failure when the line cannot be used.
    package mutating func add(_ record: InterchangeRecord, line: Int) -> DocumentFailure? {
        switch record {
        case .entity(let entity):
            entityNumbers[entity.key] = ledger.number(key: entity.key, name: entity.name, type: entity.type)
        case .document(let document):
            if indexBySource[document.source] != nil {
                return failure(line: line, "\(name):\(line): document \(document.source) appears twice")
            }
            // The window is full: its documents are complete (their lines came before this
            // line) and go out before this document starts a new window.
            if documents.count >= window.documents || relationships >= window.relationships {
                ready += takeWindow()
            }
            indexBySource[document.source] = documents.count
            documents.append(Pending(load: DocumentLoad(source: document.source, title: document.title, sha256: document.sha256,
                                                        bytes: Int64(document.bytes), charset: document.charset, mentions: [])))
            documentsMet += 1
        case .mention(let mention):
            guard let index = position(of: mention.source), let entity = entityNumbers[mention.key] else {
                return failure(line: line, "\(name):\(line): mention of \(mention.source) names an entity or a document with no "
                    + "earlier line, or comes after its document was written: keep a document's mention lines together after its document line")
            }
            addMention(mention, entity: entity, to: index)
        case .chunk(let chunk):
            return addChunk(chunk, line: line)
        case .pair(let pair):
            return addPair(pair, line: line)
        }
        return nil
    }

    /// A pair joins its document when the document has mention lines of both its entities (a
    /// pair of entities the document does not mention fails the document).
    private mutating func addPair(_ pair: InterchangeRecord.Pair, line: Int) -> DocumentFailure? {
        guard let index = position(of: pair.source) else {
            return failure(line: line, "\(name):\(line): pair of \(pair.source) has no earlier document line, or comes after its "
                + "document was written: keep a document's pair lines together after its document line")
        }
        let mentions = documents[index].load.mentions
        func mentionPosition(_ key: String) -> Int? {
            entityNumbers[key].flatMap { number in mentions.firstIndex { $0.entity == number } }
        }
        guard let a = mentionPosition(pair.a), let b = mentionPosition(pair.b) else {
            return fail(index, line: line, "pair \(pair.a) ~ \(pair.b) names an entity with no mention line in \(pair.source) before it")
        }
        documents[index].load.pairs.append(EntityPairCount(a: min(a, b), b: max(a, b), count: pair.count))
        return nil
    }

    /// The last document's repeated entities are found through `lastMention`; lines of an
    /// earlier document in the window (rare) scan its list.
    private mutating func addMention(_ mention: InterchangeRecord.Mention, entity: Int32, to index: Int) {
        let isLast = index == documents.count - 1
        let document = documentsMet - documents.count + index, slot = Int(entity)
        if slot >= lastMention.count {
            lastMention += repeatElement((document: -1, position: 0), count: slot + 1 - lastMention.count)
        }
        let known = isLast
            ? (lastMention[slot].document == document ? lastMention[slot].position : nil)
            : documents[index].load.mentions.firstIndex { $0.entity == entity }
        let offsets = mention.spans.prefix(GraphMentionRow.maximumOffsets).map { Int64($0.lowerBound) }
        if let existing = known {
            documents[index].load.mentions[existing].count += mention.count
            documents[index].load.mentions[existing].offsets = Array((documents[index].load.mentions[existing].offsets + offsets)
                .sorted().prefix(GraphMentionRow.maximumOffsets))
            documents[index].spans[existing] += mention.spans
            documents[index].spansNeedSorting = true
        } else {
            if isLast { lastMention[slot] = (document, documents[index].load.mentions.count) }
            documents[index].load.mentions.append(EntityMentionLoad(entity: entity, count: mention.count, offsets: offsets))
            documents[index].spans.append(mention.spans)
            relationships += 1
        }
    }

    /// A chunk joins its document when its index is the next one and its embedding has the
    /// run's length; otherwise the document fails.
    private mutating func addChunk(_ chunk: InterchangeRecord.Chunk, line: Int) -> DocumentFailure? {
        guard let index = position(of: chunk.source) else {
            return failure(line: line, "\(name):\(line): chunk \(chunk.index) of \(chunk.source) has no earlier document line, or comes "
                + "after its document was written: keep a document's chunk lines together after its document line")
        }
        if documents[index].failed { return nil }
        let chunks = documents[index].load.chunks
        guard chunk.index == chunks.count else {
            return fail(index, line: line, "chunk index \(chunk.index) where \(chunks.count) was expected: a document's chunk lines "
                + "come in index order 0, 1, 2, ...")
        }
        if let previous = chunks.last, chunk.start < previous.start || chunk.end < previous.end {
            return fail(index, line: line, "chunk \(chunk.index) [\(chunk.start), \(chunk.end)) does not follow chunk \(previous.index) "
                + "[\(previous.start), \(previous.end)) in the text")
        }
        if let embedding = chunk.embedding, let mismatch = embeddings.check(embedding.count, line: line) {
            return fail(index, line: line, mismatch)
        }
        documents[index].load.chunks.append(ChunkLoad(index: chunk.index, start: chunk.start, end: chunk.end, text: chunk.text,
                                                      sha256: chunk.sha256, embedding: chunk.embedding, mentions: []))
        relationships += 1
        return nil
    }

    /// The documents that left the window, if any.
    package mutating func takeReady() -> [DocumentLoad]? {
        guard !ready.isEmpty else { return nil }
        defer { ready = [] }
        return ready
    }

    /// The documents still in the window (at the end of the input), less those that failed; it
    /// starts afresh.
    package mutating func takeWindow() -> [DocumentLoad] {
        defer {
            documents = []
            indexBySource = [:]
            relationships = 0
        }
        return documents.compactMap { $0.failed ? nil : $0.finished() }
    }
}
