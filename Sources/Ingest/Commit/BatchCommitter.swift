import Extraction
import GraphStore
import Registry

/// Commits one batch of documents: registers them, writes them to the graph, and records in the
/// registry what landed.
///
/// The order is what makes a crash anywhere harmless: ids are registered first (idempotent), the
/// graph writes are idempotent (MERGE for nodes; a document's MENTIONS and chunks deleted and
/// created again in one transaction), and a document becomes `loaded` only after its graph write committed, so
/// a rerun simply does the same writes again.
package struct BatchCommitter: Sendable {
    package let registry: any CommitRegistry
    package let graph: any CommitGraph
    package let runID: Int64?
    /// The extractor fingerprint recorded with each loaded document (nil for `load`).
    package let fingerprint: String?
    /// The run's entities: ``DocumentLoad``s name them by their number here.
    package let ledger: EntityLedger
    /// Writes the CO_OCCURS_WITH edges whose totals changed (at the run's end, and now and then
    /// during a long run).
    package let cooccurrence: CooccurrenceSync
    /// The queue worker whose claims the documents are (nil for `load`, which claims nothing).
    package let worker: QueueWorker?
    /// Whether a source an earlier batch of the run loaded may be loaded again (a stream's newer
    /// version), rather than being a duplicate.
    package let sourcesRepeat: Bool

    package init(registry: any CommitRegistry, graph: any CommitGraph, runID: Int64?, fingerprint: String?, ledger: EntityLedger,
                 cooccurrence: CooccurrenceSync, worker: QueueWorker? = nil, sourcesRepeat: Bool = false) {
        self.sourcesRepeat = sourcesRepeat
        self.registry = registry
        self.graph = graph
        self.runID = runID
        self.fingerprint = fingerprint
        self.ledger = ledger
        self.cooccurrence = cooccurrence
        self.worker = worker
    }

    /// What one batch did.
    package struct Outcome: Sendable {
        package var loaded = 0
        package var mentions = 0
        package var relationships = 0
        /// The Chunk nodes the loaded documents have now.
        package var chunks = 0
        /// Entity nodes merged (each run merges an entity once, when a batch first names it).
        package var entityNodes = 0
        package var bytes: Int64 = 0
        /// The entities the loaded documents mention that no earlier batch of the run's loaded
        /// documents mentioned (added up over a run: the distinct entities it loaded).
        package var entitiesFirstMentioned = 0
        /// Windows and pairs of the loaded documents.
        package var cooccurrence = CooccurrenceFigures()
        /// CO_OCCURS_WITH edges written for the pairs the batch changed.
        package var edges = CooccurrenceSync.Writes()
        /// The documents that did not land, in source order, each with its reason.
        package var failures: [DocumentFailure] = []
        /// The time each step of the commit took.
        package var steps: [CommitStep: Duration] = [:]
    }

    /// A commit's steps, timed apart so a run's summary shows where the time goes, and which of
    /// the servers limits it (`stage_seconds` in the summary).
    package enum CommitStep: String, Sendable, CaseIterable {
        /// Registering documents and entities, and recording what landed but the pairs
        /// (PostgreSQL).
        case registry = "commit_registry"
        /// Replacing the documents' co-occurrence pairs and recording their difference to the
        /// corpus totals as deltas (PostgreSQL).
        case registryPairs = "commit_registry_pairs"
        /// Merging the Document nodes.
        case graphDocuments = "commit_graph_documents"
        /// Waiting for the graph-write lock: other batches', maybe other processes', writes.
        case graphLockWait = "commit_graph_lock_wait"
        /// Holding it: entity nodes, then MENTIONS and chunks replaced.
        case graphLockHeld = "commit_graph_lock_held"
        /// CO_OCCURS_WITH edges whose totals changed, when a sync is due.
        case cooccurrence = "commit_cooccurrence"
    }

    /// Adds the time since the last mark to a step.
    struct StepClock {
        private var last = ContinuousClock.now
        private(set) var elapsed: [CommitStep: Duration] = [:]

        mutating func mark(_ step: CommitStep) {
            let now = ContinuousClock.now
            elapsed[step, default: .zero] += now - last
            last = now
        }
    }

    /// One document on its way through a commit: what was asked, and what each step found.
    struct Item {
        let load: DocumentLoad
        /// The node to write, once registered.
        var row: GraphDocumentRow?
        /// For each of `load.mentions`: the entity's registry id (nil when registration gave none).
        var entityIDs: [Int64?] = []
        /// The MENTIONS and chunks written, once the document reached that step.
        var relationships: GraphWriter.DocumentRelationships?
        /// Why the document does not land; nil while it still can.
        var failure: String?

        init(_ load: DocumentLoad) { self.load = load }
    }

    /// Loads a batch: register, write documents, entities, MENTIONS and chunks, then record the
    /// result.
    /// Rows the server rejects on their own fail their documents; the rest lands.
    ///
    /// - Throws: when the registry or the graph cannot be reached (nothing is marked loaded).
    package func commit(_ batch: [DocumentLoad]) async throws -> Outcome {
        guard !batch.isEmpty else { return Outcome() }
        var steps = StepClock()
        var items = batch.map(Item.init)
        try await registerDocuments(&items)
        let unwritten = try await registerEntities(&items)
        steps.mark(.registry)
        try await writeDocuments(&items)
        steps.mark(.graphDocuments)
        // What touches shared Entity nodes goes one batch at a time across processes too.
        let rejectedEntities = try await registry.withGraphWriteLock {
            steps.mark(.graphLockWait)
            let rejectedEntities = try await writeEntities(unwritten)
            try await replaceRelationships(&items, rejectedEntities: rejectedEntities)
            return rejectedEntities
        }
        steps.mark(.graphLockHeld)
        var outcome = try await record(items, steps: &steps)
        outcome.entityNodes = unwritten.count - rejectedEntities.count
        outcome.steps = steps.elapsed
        return outcome
    }

    // MARK: Steps

    /// Registers the sources no claim registered (the documents `load` reads); a source met twice
    /// in one run fails its second document.
    private func registerDocuments(_ items: inout [Item]) async throws {
        let unregistered = items.filter { $0.load.registered == nil }.map {
            DocumentRegistration(source: $0.load.source, sha256: $0.load.sha256, bytes: $0.load.bytes, charset: $0.load.charset,
                                 fileSize: $0.load.fileSize, fileModified: $0.load.fileModified)
        }
        let registered = unregistered.isEmpty ? [:] : try await registry.registerDocumentsReturningVersions(unregistered)
        var inBatch = Set<String>()
        for index in items.indices {
            let load = items[index].load
            guard let document = load.registered ?? registered[load.source] else {
                items[index].failure = "document \(load.source) was not registered"
                continue
            }
            // Twice in one batch, or already loaded by an earlier batch of this run: the
            // registry remembers which run loaded a source, so no set of every source is kept.
            if !inBatch.insert(load.source).inserted || (!sourcesRepeat && runID != nil && document.loadedRun == runID) {
                items[index].failure = "document \(load.source) appears twice in this run; the first one was kept"
                continue
            }
            items[index].row = GraphDocumentRow(id: document.id, source: load.source, title: load.title, sha256: load.sha256,
                                                bytes: load.bytes, version: document.version + 1)
        }
    }

    /// Registers the entities the batch mentions that the registry does not hold yet as they are
    /// now (new in this run, or renamed; see ``EntityLedger``), resolves every mention to its id
    /// by number, and returns the entity nodes the graph has not committed yet in this run.
    private func registerEntities(_ items: inout [Item]) async throws -> [(number: Int32, row: GraphEntityRow)] {
        let unregistered = ledger.withEntries { entries in
            var seen = Set<Int32>()
            var unregistered: [(number: Int32, entity: EntityRegistration)] = []
            for item in items where item.failure == nil {
                for mention in item.load.mentions where !entries[Int(mention.entity)].registered && seen.insert(mention.entity).inserted {
                    unregistered.append((mention.entity, entries[Int(mention.entity)].entity))
                }
            }
            // In key order: concurrent batches then insert shared new keys in the same order and
            // cannot deadlock on the unique index (PostgreSQL 40P01).
            return unregistered.sorted { $0.entity.key < $1.entity.key }
        }
        if !unregistered.isEmpty {
            let registered = try await registry.registerEntities(unregistered.map(\.entity))
            ledger.withEntries { entries in
                for (number, entity) in unregistered {
                    guard let id = registered[entity.key] else { continue }
                    entries[Int(number)].id = id
                    // Renamed meanwhile by a producer: the next batch registers the new name.
                    if entries[Int(number)].entity == entity { entries[Int(number)].registered = true }
                }
            }
        }
        return ledger.withEntries { entries in
            var unwritten: [(number: Int32, row: GraphEntityRow)] = []
            var listed = Set<Int32>()
            for index in items.indices where items[index].failure == nil {
                items[index].entityIDs = items[index].load.mentions.map { mention in
                    let entry = entries[Int(mention.entity)]
                    if let id = entry.id, !entry.written, listed.insert(mention.entity).inserted {
                        unwritten.append((mention.entity, GraphEntityRow(id: id, key: entry.entity.key, name: entry.entity.name, type: entry.entity.type)))
                    }
                    return entry.id
                }
            }
            return unwritten
        }
    }

    /// Merges the Document nodes; a rejected node fails its document.
    private func writeDocuments(_ items: inout [Item]) async throws {
        let rows = items.compactMap { $0.failure == nil ? $0.row : nil }
        let rejected = try await graph.writeDocuments(rows)
        guard !rejected.isEmpty else { return }
        let reasons = Dictionary(rejected.map { ($0.row.id, $0.reason) }, uniquingKeysWith: { first, _ in first })
        for index in items.indices {
            if let id = items[index].row?.id, let reason = reasons[id] {
                items[index].failure = "document \(items[index].load.source) rejected by the graph: \(reason)"
            }
        }
    }

    /// Merges entity nodes and records in the ledger those the graph committed.
    ///
    /// - Returns: for each entity id the graph rejected, the failure to give the documents that
    ///   mention it.
    private func writeEntities(_ unwritten: [(number: Int32, row: GraphEntityRow)]) async throws -> [Int64: String] {
        var rejected: [Int64: String] = [:]
        for row in try await graph.writeEntities(unwritten.map(\.row)) {
            rejected[row.row.id] = "entity \(row.row.key) rejected by the graph: \(row.reason)"
        }
        ledger.withEntries { entries in
            for (number, row) in unwritten where rejected[row.id] == nil
                && entries[Int(number)].entity == EntityRegistration(key: row.key, name: row.name, type: row.type) {
                entries[Int(number)].written = true
            }
        }
        return rejected
    }

    /// Replaces the MENTIONS and chunks of the documents still standing; a document that names a
    /// rejected entity, or whose rows the graph rejects, fails.
    private func replaceRelationships(_ items: inout [Item], rejectedEntities: [Int64: String]) async throws {
        var positionByID: [Int64: Int] = [:]
        for index in items.indices where items[index].failure == nil {
            guard let row = items[index].row else { continue }
            if !rejectedEntities.isEmpty, let reason = items[index].entityIDs.lazy.compactMap({ $0.flatMap { rejectedEntities[$0] } }).first {
                items[index].failure = reason
                continue
            }
            items[index].relationships = Self.relationships(of: items[index].load, id: row.id, entityIDs: items[index].entityIDs)
            positionByID[row.id] = index
        }
        let rejected = try await graph.replaceRelationships(items.compactMap { $0.failure == nil ? $0.relationships : nil })
        for rejection in rejected {
            guard let index = positionByID[rejection.row.documentID] else { continue }
            items[index].failure = "MENTIONS or chunks of \(items[index].load.source) rejected by the graph: \(rejection.reason)"
        }
    }

    /// The graph rows of a document's MENTIONS and chunks; mentions of entities without an id
    /// are left out of both.
    static func relationships(of load: DocumentLoad, id: Int64, entityIDs: [Int64?]) -> GraphWriter.DocumentRelationships {
        let mentions = zip(load.mentions, entityIDs).compactMap { mention, entity in
            entity.map { GraphMentionRow(documentID: id, entityID: $0, count: Int64(mention.count), offsets: mention.offsets) }
        }
        let chunks = load.chunks.map { chunk in
            let row = GraphChunkRow(documentID: id, index: Int64(chunk.index), text: chunk.text, start: Int64(chunk.start),
                                    end: Int64(chunk.end), sha256: chunk.sha256, embedding: chunk.embedding)
            return GraphChunkRow.WithMentions(chunk: row, mentions: chunk.mentions.compactMap { mention in
                entityIDs[mention.entity].map {
                    GraphChunkMentionRow(entityID: $0, chunkID: row.id, count: Int64(mention.count), offsets: mention.offsets.map(Int64.init))
                }
            })
        }
        return GraphWriter.DocumentRelationships(documentID: id, mentions: mentions, chunks: chunks)
    }

    /// Records what landed (mention, chunk and pair snapshots, then `loaded`) and what failed;
    /// the CO_OCCURS_WITH edges whose totals changed are written by the run's next sync.
    private func record(_ items: [Item], steps: inout StepClock) async throws -> Outcome {
        var outcome = Outcome()
        var snapshots: [Int64: [MentionCount]] = [:]
        var chunkSnapshots: [Int64: [ChunkRecord]] = [:]
        var pairSnapshots: [Int64: [PairCount]] = [:]
        var loaded: [LoadedDocument] = []
        var mentioned: [Int32] = []
        var failed: [FailedDocument] = []
        for item in items {
            // No row: never registered, or a source met twice (its first document's state stays).
            guard let row = item.row else { continue }
            if let failure = item.failure {
                failed.append(FailedDocument(id: row.id, error: failure))
                continue
            }
            guard let relationships = item.relationships else { continue }
            // A document without mentions or chunks gets an empty snapshot: that clears what it had.
            snapshots[row.id] = relationships.mentions.map { MentionCount(entityID: $0.entityID, count: Int($0.count)) }
            chunkSnapshots[row.id] = relationships.chunks.map {
                ChunkRecord(documentID: row.id, index: Int($0.chunk.index), start: $0.chunk.start, end: $0.chunk.end, sha256: $0.chunk.sha256,
                            mentions: $0.mentions.map { MentionCount(entityID: $0.entityID, count: Int($0.count)) })
            }
            outcome.chunks += relationships.chunks.count
            let load = item.load
            pairSnapshots[row.id] = load.pairs.compactMap { pair in
                guard let a = item.entityIDs[pair.a], let b = item.entityIDs[pair.b], a != b else { return nil }
                return PairCount(pair: EntityPair(a, b), count: pair.count)
            }
            outcome.cooccurrence.add(load.cooccurrence)
            loaded.append(LoadedDocument(id: row.id, sha256: load.sha256, version: row.version, fingerprint: fingerprint,
                                         bytes: load.bytes, charset: load.charset, fileSize: load.fileSize,
                                         fileModified: load.fileModified, runID: runID))
            outcome.mentions += load.mentionCount
            outcome.relationships += relationships.mentions.count
            outcome.bytes += load.bytes
            for (mention, id) in zip(load.mentions, item.entityIDs) where id != nil { mentioned.append(mention.entity) }
        }
        try await registry.replaceMentionAndChunkSnapshots(mentions: snapshots, chunks: chunkSnapshots)
        // Before `loaded`: a document marked loaded is skipped by a rerun, so its pairs must be
        // recorded (with their difference to the totals, which a sync folds in) by then. The
        // edges come after; unfolded deltas and pending pairs survive a crash.
        steps.mark(.registry)
        try await registry.replacePairSnapshots(pairSnapshots)
        steps.mark(.registryPairs)
        _ = try await registry.markLoaded(loaded, holder: worker?.id)
        outcome.loaded = loaded.count
        outcome.entitiesFirstMentioned = ledger.recordMentionedByLoaded(mentioned)
        if !failed.isEmpty { _ = try await registry.markFailed(failed, holder: worker?.id) }
        worker?.letGo(items.map(\.load.source))
        steps.mark(.registry)
        outcome.edges = try await cooccurrence.writeIfDue()
        steps.mark(.cooccurrence)
        outcome.failures = items.compactMap { item in
            item.failure.map { DocumentFailure(source: item.load.source, stage: .load, reason: $0) }
        }.sorted { $0.source < $1.source }
        return outcome
    }
}
