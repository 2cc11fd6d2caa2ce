import GraphStore
import Registry

/// Writes batches of documents to the graph and then commits them in the registry.
///
/// The order is what makes a crash anywhere harmless: ids are registered first (idempotent), the
/// graph writes are idempotent MERGEs, and a document becomes `loaded` only after its graph write
/// committed, so a rerun simply does the same writes again.
public struct BatchCommitter: Sendable {
    public let registry: RegistryStore
    public let graph: GraphWriter
    public let runID: Int64?
    /// The extractor fingerprint recorded with each loaded document.
    public let fingerprint: String?
    /// The run's entities: ``DocumentLoad``s name them by their number here.
    public let ledger = EntityLedger()

    public init(registry: RegistryStore, graph: GraphWriter, runID: Int64?, fingerprint: String?) {
        self.registry = registry
        self.graph = graph
        self.runID = runID
        self.fingerprint = fingerprint
    }

    /// What one batch did.
    public struct Outcome: Sendable {
        public var loaded = 0
        public var mentions = 0
        public var relationships = 0
        /// The entities the loaded documents mention that no earlier batch of the run's loaded
        /// documents mentioned (added up over a run: the distinct entities it loaded).
        public var entitiesFirstMentioned = 0
        public var failures: [DocumentFailure] = []
    }

    /// Loads a batch: register, write documents, entities and MENTIONS, then record the result.
    /// Rows the server rejects on their own become dead letters; the rest lands.
    ///
    /// - Throws: when the registry or the graph cannot be reached (nothing is marked loaded).
    public func commit(_ batch: [DocumentLoad]) async throws -> Outcome {
        var outcome = Outcome()
        guard !batch.isEmpty else { return outcome }

        let registered = try await registry.registerDocumentsReturningVersions(batch.map {
            DocumentRegistration(source: $0.source, sha256: $0.sha256, bytes: $0.bytes, charset: $0.charset,
                                 fileSize: $0.fileSize, fileModified: $0.fileModified)
        })
        let entities = try await registerEntities(of: batch)

        // Everything below is indexed like `batch`; a document's failure reason, if any, is
        // `failures[index]`.
        let documentRows = batch.map { document in
            registered[document.source].map {
                GraphDocumentRow(id: $0.id, source: document.source, title: document.title, sha256: document.sha256,
                                 bytes: document.bytes, version: $0.version + 1)
            }
        }
        var failures = [String?](repeating: nil, count: batch.count)
        var indexByID: [Int64: Int] = [:]
        for (index, row) in documentRows.enumerated() {
            if let row, indexByID[row.id] == nil { indexByID[row.id] = index }
        }
        for rejected in try await graph.writeDocuments(documentRows.compactMap { $0 }) {
            guard let index = indexByID[rejected.row.id] else { continue }
            failures[index] = "document \(rejected.row.source) rejected by the graph: \(rejected.reason)"
        }
        let rejectedEntities = try await writeEntities(entities.unwritten)

        var mentionGroups: [GraphWriter.DocumentMentions] = []
        var groupIndex = [Int?](repeating: nil, count: batch.count)
        for (index, document) in batch.enumerated() where failures[index] == nil {
            guard let row = documentRows[index] else { continue }
            let ids = entities.ids[index]
            if !rejectedEntities.isEmpty, let bad = ids.lazy.compactMap({ $0.flatMap { rejectedEntities[$0] } }).first {
                failures[index] = bad
                continue
            }
            groupIndex[index] = mentionGroups.count
            mentionGroups.append(GraphWriter.DocumentMentions(documentID: row.id, mentions: document.mentions.indices.compactMap { position in
                let mention = document.mentions[position]
                return ids[position].map {
                    GraphMentionRow(documentID: row.id, entityID: $0, count: Int64(mention.count), offsets: mention.offsets)
                }
            }))
        }
        for rejected in try await graph.replaceMentions(mentionGroups) {
            guard let index = indexByID[rejected.row.documentID] else { continue }
            failures[index] = "MENTIONS of \(batch[index].source) rejected by the graph: \(rejected.reason)"
        }

        // Record: snapshots and `loaded` for what landed, `failed` and dead letters for the rest.
        var snapshots: [Int64: [MentionCount]] = [:]
        var loaded: [LoadedDocument] = []
        var mentioned: [Int32] = []
        for (index, document) in batch.enumerated() {
            guard let row = documentRows[index], failures[index] == nil, let group = groupIndex[index] else { continue }
            // A document without mentions gets an empty snapshot: that clears what it had.
            snapshots[row.id] = mentionGroups[group].mentions.map { MentionCount(entityID: $0.entityID, count: Int($0.count)) }
            loaded.append(LoadedDocument(id: row.id, sha256: document.sha256, version: row.version, fingerprint: fingerprint,
                                         bytes: document.bytes, charset: document.charset, fileSize: document.fileSize,
                                         fileModified: document.fileModified))
            outcome.mentions += document.mentionCount
            outcome.relationships += mentionGroups[group].mentions.count
            for (position, mention) in document.mentions.enumerated() where entities.ids[index][position] != nil {
                mentioned.append(mention.entity)
            }
        }
        try await registry.replaceMentionSnapshots(snapshots)
        try await registry.markLoaded(loaded)
        outcome.loaded = loaded.count
        outcome.entitiesFirstMentioned = ledger.recordMentionedByLoaded(mentioned)

        let failed = batch.indices.compactMap { index in
            failures[index].map { (source: batch[index].source, id: documentRows[index]?.id, reason: $0) }
        }.sorted { $0.source < $1.source }
        if !failed.isEmpty {
            outcome.failures = failed.map { DocumentFailure(source: $0.source, stage: .load, reason: $0.reason) }
            try await registry.markFailed(failed.compactMap { failure in failure.id.map { FailedDocument(id: $0, error: failure.reason) } })
        }
        return outcome
    }

    /// The entities of one batch.
    struct BatchEntities {
        /// For each document, for each of its mentions: the entity's registry id (nil when
        /// registration returned none).
        var ids: [[Int64?]] = []
        /// Registered entities of the batch whose node the graph has not committed yet in this
        /// run, each once.
        var unwritten: [(number: Int32, row: GraphEntityRow)] = []
    }

    /// Registers the entities `batch` mentions that the registry does not hold yet as they are now
    /// (new in this run, or renamed; see ``EntityLedger``), then resolves every mention to its id
    /// by number.
    private func registerEntities(of batch: [DocumentLoad]) async throws -> BatchEntities {
        let unregistered = ledger.withEntries { entries in
            var seen = Set<Int32>()
            var unregistered: [(number: Int32, entity: EntityLedger.Entity)] = []
            for document in batch {
                for mention in document.mentions where !entries[Int(mention.entity)].registered && seen.insert(mention.entity).inserted {
                    unregistered.append((mention.entity, entries[Int(mention.entity)].entity))
                }
            }
            // In key order: concurrent batches then insert shared new keys in the same order and
            // cannot deadlock on the unique index (PostgreSQL 40P01).
            return unregistered.sorted { $0.entity.key < $1.entity.key }
        }
        if !unregistered.isEmpty {
            let registered = try await registry.registerEntities(unregistered.map {
                EntityRegistration(key: $0.entity.key, name: $0.entity.name, type: $0.entity.type)
            })
            ledger.withEntries { entries in
                for (number, entity) in unregistered {
                    guard let id = registered[entity.key] else { continue }
                    entries[Int(number)].id = id
                    // Renamed meanwhile by the parser: the next batch registers the new name.
                    if entries[Int(number)].entity == entity { entries[Int(number)].registered = true }
                }
            }
        }
        return ledger.withEntries { entries in
            var result = BatchEntities()
            var listed = Set<Int32>()
            result.ids = batch.map { document in
                document.mentions.map { mention in
                    let entry = entries[Int(mention.entity)]
                    if let id = entry.id, !entry.written, listed.insert(mention.entity).inserted {
                        result.unwritten.append((mention.entity, GraphEntityRow(id: id, key: entry.entity.key, name: entry.entity.name, type: entry.entity.type)))
                    }
                    return entry.id
                }
            }
            return result
        }
    }

    /// Merges entity nodes and records those the graph committed.
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
                && entries[Int(number)].entity == EntityLedger.Entity(key: row.key, name: row.name, type: row.type) {
                entries[Int(number)].written = true
            }
        }
        return rejected
    }
}
