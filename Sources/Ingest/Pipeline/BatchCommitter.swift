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
    private let ledger = EntityLedger()

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
        /// The registry ids of the entities the loaded documents mention.
        public var entityIDs = Set<Int64>()
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
            if !rejectedEntities.isEmpty, let bad = document.mentions.first(where: { rejectedEntities[$0.key] != nil }) {
                failures[index] = "entity \(bad.key) rejected by the graph: \(rejectedEntities[bad.key]!)"
                continue
            }
            groupIndex[index] = mentionGroups.count
            let slots = entities.slots[index]
            mentionGroups.append(GraphWriter.DocumentMentions(documentID: row.id, mentions: document.mentions.indices.compactMap { position in
                let mention = document.mentions[position]
                return entities.ids[slots[position]].map {
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
        for (index, document) in batch.enumerated() {
            guard let row = documentRows[index], failures[index] == nil, let group = groupIndex[index] else { continue }
            // A document without mentions gets an empty snapshot: that clears what it had.
            snapshots[row.id] = mentionGroups[group].mentions.map { MentionCount(entityID: $0.entityID, count: Int($0.count)) }
            loaded.append(LoadedDocument(id: row.id, sha256: document.sha256, version: row.version, fingerprint: fingerprint,
                                         bytes: document.bytes, charset: document.charset, fileSize: document.fileSize,
                                         fileModified: document.fileModified))
            outcome.mentions += document.mentionCount
            outcome.relationships += document.mentions.count
            outcome.entityIDs.formUnion(mentionGroups[group].mentions.lazy.map(\.entityID))
        }
        try await registry.replaceMentionSnapshots(snapshots)
        try await registry.markLoaded(loaded)
        outcome.loaded = loaded.count

        let failed = batch.indices.compactMap { index in
            failures[index].map { (source: batch[index].source, id: documentRows[index]?.id, reason: $0) }
        }.sorted { $0.source < $1.source }
        if !failed.isEmpty {
            outcome.failures = failed.map { DocumentFailure(source: $0.source, stage: .load, reason: $0.reason) }
            try await registry.markFailed(failed.compactMap { failure in failure.id.map { FailedDocument(id: $0, error: failure.reason) } })
        }
        return outcome
    }

    /// The entities of one batch: each distinct key once, and where each mention points.
    struct BatchEntities {
        /// The first mention of each distinct key.
        var distinct: [EntityMentionLoad] = []
        /// The registry id of each of `distinct` (nil when registration returned none).
        var ids: [Int64?] = []
        /// For each document, for each of its mentions: the index of its entity in `distinct`.
        var slots: [[Int]] = []
        /// Registered entities whose node the graph has not committed yet in this run.
        var unwritten: [GraphEntityRow] = []
    }

    /// Registers the entities `batch` mentions, each once per run (see ``EntityLedger``). One
    /// hash lookup per mention: everything after works by index.
    private func registerEntities(of batch: [DocumentLoad]) async throws -> BatchEntities {
        var result = BatchEntities()
        var slotByKey: [String: Int] = [:]
        result.slots = batch.map { document in
            document.mentions.map { mention in
                if let slot = slotByKey[mention.key] { return slot }
                slotByKey[mention.key] = result.distinct.count
                result.distinct.append(mention)
                return result.distinct.count - 1
            }
        }
        let known = ledger.lookUp(result.distinct)
        result.ids = known.map { $0?.id }
        var unregistered: [Int] = []
        for (slot, entry) in known.enumerated() {
            guard let entry else {
                unregistered.append(slot)
                continue
            }
            if !entry.written {
                let entity = result.distinct[slot]
                result.unwritten.append(GraphEntityRow(id: entry.id, key: entity.key, name: entity.name, type: entity.type))
            }
        }
        if !unregistered.isEmpty {
            // In key order: concurrent batches then insert shared new keys in the same order and
            // cannot deadlock on the unique index (PostgreSQL 40P01).
            unregistered.sort { result.distinct[$0].key < result.distinct[$1].key }
            let registered = try await registry.registerEntities(unregistered.map {
                let entity = result.distinct[$0]
                return EntityRegistration(key: entity.key, name: entity.name, type: entity.type)
            })
            var rows: [GraphEntityRow] = []
            for slot in unregistered {
                let entity = result.distinct[slot]
                guard let id = registered[entity.key] else { continue }
                result.ids[slot] = id
                rows.append(GraphEntityRow(id: id, key: entity.key, name: entity.name, type: entity.type))
            }
            ledger.recordRegistered(rows)
            result.unwritten += rows
        }
        return result
    }

    /// Merges entity nodes and records those the graph committed.
    ///
    /// - Returns: the keys whose node the graph rejected, with the server's reason.
    private func writeEntities(_ rows: [GraphEntityRow]) async throws -> [String: String] {
        var rejected: [String: String] = [:]
        for row in try await graph.writeEntities(rows) { rejected[row.row.key] = row.reason }
        ledger.recordWritten(rejected.isEmpty ? rows : rows.filter { rejected[$0.key] == nil })
        return rejected
    }
}
