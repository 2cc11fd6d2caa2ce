import Extraction
import GraphStore

/// The producer of `load`: parses interchange JSONL (from `extract`, or any other extractor)
/// into documents.
///
/// Every line is validated; a bad line becomes a dead letter naming its line number, and the rest
/// loads. A document is held in a window of recent documents until the window is full (the
/// commit bounds), so the mention lines that follow its document line, as `extract` writes them,
/// join it; a mention line that arrives after its document left the window is a bad line. A
/// source that appears twice is caught in the window, or by the committer through the registry
/// (which remembers the run that loaded each source), so no set of every source is kept.
package struct InterchangeProducer: DocumentProducer {
    /// What the producer reads.
    package enum Input: Sendable {
        /// A file path, or "-" for standard input.
        case path(String)
        /// Bytes in memory, with a name for messages (tests).
        case bytes([UInt8], name: String)
    }

    let input: Input
    let window: CommitStage.Bounds

    package init(input: Input, window: CommitStage.Bounds) {
        self.input = input
        self.window = window
    }

    /// The name lines are reported under.
    var name: String {
        switch input {
        case .path(let path): return path
        case .bytes(_, let name): return name
        }
    }

    package func produce(into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        var reader: InterchangeReader
        switch input {
        case .path(let path): reader = try InterchangeReader(path: path)
        case .bytes(let bytes, let name): reader = InterchangeReader(bytes: bytes, name: name)
        }
        reader.checksReferences = false  // resolved below, with a message that says what is missing
        defer { reader.close() }
        var parser = InterchangeAssembler(ledger: context.ledger, window: window, name: name)
        while true {
            let record: InterchangeRecord?
            do {
                record = try reader.next()
            } catch {
                try await context.deadLetters.record([parser.failure(line: reader.line, error.description)])
                if error.code == .unreadable { break }
                continue
            }
            guard let record else { break }
            if let failure = parser.add(record, line: reader.line) {
                try await context.deadLetters.record([failure])
            }
            if let documents = parser.takeReady() {
                context.figures.add(\.read, documents.count)
                await output.send(documents)
            }
        }
        let documents = parser.takeWindow()
        context.figures.add(\.read, documents.count)
        if !documents.isEmpty { await output.send(documents) }
    }
}

/// Turns interchange records into documents: numbers entities in the run's ledger and gathers a
/// document's mention lines (repeated ones added up) in a window of recent documents.
package struct InterchangeAssembler {
    let ledger: EntityLedger
    let window: CommitStage.Bounds
    let name: String
    private var entityNumbers: [String: Int32] = [:]
    private var documents: [DocumentLoad] = []
    /// Complete documents that left the window.
    private var ready: [DocumentLoad] = []
    private var indexBySource: [String: Int] = [:]
    private var relationships = 0
    /// For each entity number: the position in the last document's mention list, valid while
    /// `lastDocument` matches. Finds a repeated (document, entity) pair without a scan.
    private var lastMention: [(document: Int, position: Int)] = []
    /// Documents met so far (a running count that tells documents apart in `lastMention`).
    private var documentsMet = 0

    package init(ledger: EntityLedger, window: CommitStage.Bounds, name: String) {
        self.ledger = ledger
        self.window = window
        self.name = name
    }

    /// A dead letter for `line`.
    func failure(line: Int, _ reason: String) -> DocumentFailure {
        DocumentFailure(source: "\(name):\(line)", stage: .load, reason: reason)
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
            // The window is full: its documents are complete (their mention lines came before
            // this line) and go out before this document starts a new window.
            if documents.count >= window.documents || relationships >= window.relationships {
                ready += takeWindow()
            }
            indexBySource[document.source] = documents.count
            documents.append(DocumentLoad(source: document.source, title: document.title, sha256: document.sha256,
                                          bytes: Int64(document.bytes), charset: document.charset, mentions: []))
            documentsMet += 1
        case .mention(let mention):
            // Mention lines follow their document line: most belong to the last document.
            let index = documents.last?.source == mention.source ? documents.count - 1 : indexBySource[mention.source]
            guard let index, let entity = entityNumbers[mention.key] else {
                return failure(line: line, "\(name):\(line): mention of \(mention.source) names an entity or a document with no "
                    + "earlier line, or comes after its document was written: keep a document's mention lines together after its document line")
            }
            addMention(mention, entity: entity, to: index)
        }
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
            : documents[index].mentions.firstIndex { $0.entity == entity }
        let offsets = mention.spans.prefix(GraphMentionRow.maximumOffsets).map { Int64($0.lowerBound) }
        if let existing = known {
            documents[index].mentions[existing].count += mention.count
            documents[index].mentions[existing].offsets = Array((documents[index].mentions[existing].offsets + offsets)
                .sorted().prefix(GraphMentionRow.maximumOffsets))
        } else {
            if isLast { lastMention[slot] = (document, documents[index].mentions.count) }
            documents[index].mentions.append(EntityMentionLoad(entity: entity, count: mention.count, offsets: offsets))
            relationships += 1
        }
    }

    /// The documents that left the window, if any.
    package mutating func takeReady() -> [DocumentLoad]? {
        guard !ready.isEmpty else { return nil }
        defer { ready = [] }
        return ready
    }

    /// The documents still in the window (at the end of the input); it starts afresh.
    package mutating func takeWindow() -> [DocumentLoad] {
        defer {
            documents = []
            indexBySource = [:]
            relationships = 0
        }
        return documents
    }
}
