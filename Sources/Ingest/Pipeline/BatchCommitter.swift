import GraphStore
import Registry
import Synchronization

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
    /// Entity rows this run already merged: most batches mention the same entities again, and
    /// merging them once per run instead of once per batch saves most of the entity writes. Kept
    /// per process only, so a rerun after a crash writes them again (MERGE is idempotent).
    private let writtenEntities = WrittenEntities()

    public init(registry: RegistryStore, graph: GraphWriter, runID: Int64?, fingerprint: String?) {
        self.registry = registry
        self.graph = graph
        self.runID = runID
        self.fingerprint = fingerprint
    }

    /// The entity rows already written in this run (thread-safe; shared by the writers).
    final class WrittenEntities: Sendable {
        private let rows = Mutex(Set<GraphEntityRow>())

        func unwritten(_ candidates: [GraphEntityRow]) -> [GraphEntityRow] {
            rows.withLock { rows in candidates.filter { !rows.contains($0) } }
        }

        func insert(_ written: some Sequence<GraphEntityRow>) {
            rows.withLock { $0.formUnion(written) }
        }
    }

    /// What one batch did.
    public struct Outcome: Sendable {
        public var loaded = 0
        public var mentions = 0
        public var relationships = 0
        public var entityKeys = Set<String>()
        public var failures: [DocumentFailure] = []
    }

    /// Loads a batch: register, write documents, entities and MENTIONS, then record the result.
    /// Rows the server rejects on their own become dead letters; the rest lands.
    ///
    /// - Throws: when the registry or the graph cannot be reached (nothing is marked loaded).
    public func commit(_ batch: [DocumentLoad]) async throws -> Outcome {
        var outcome = Outcome()
        guard !batch.isEmpty else { return outcome }

        let documentIDs = try await registry.registerDocuments(batch.map {
            DocumentRegistration(source: $0.source, sha256: $0.sha256, bytes: $0.bytes, charset: $0.charset,
                                 fileSize: $0.fileSize, fileModified: $0.fileModified)
        })
        var entities: [String: EntityMentionLoad] = [:]
        for document in batch {
            for mention in document.mentions where entities[mention.key] == nil {
                entities[mention.key] = mention
            }
        }
        // In key order: concurrent batches then insert shared new keys in the same order and
        // cannot deadlock on the unique index (PostgreSQL 40P01).
        let entityIDs = try await registry.registerEntities(entities.values.sorted { $0.key < $1.key }.map {
            EntityRegistration(key: $0.key, name: $0.name, type: $0.type)
        })
        let versions = try await registry.documentVersions(ids: Array(documentIDs.values))

        var failed: [String: String] = [:]
        let documentRows = batch.compactMap { document -> GraphDocumentRow? in
            guard let id = documentIDs[document.source] else { return nil }
            return GraphDocumentRow(id: id, source: document.source, title: document.title, sha256: document.sha256,
                                    bytes: document.bytes, version: (versions[id] ?? 0) + 1)
        }
        let bySource = Dictionary(documentRows.map { ($0.source, $0) }, uniquingKeysWith: { first, _ in first })
        for rejected in try await graph.writeDocuments(documentRows) {
            failed[rejected.row.source] = "document \(rejected.row.source) rejected by the graph: \(rejected.reason)"
        }

        let entityRows = entities.values.compactMap { mention -> GraphEntityRow? in
            entityIDs[mention.key].map { GraphEntityRow(id: $0, key: mention.key, name: mention.name, type: mention.type) }
        }
        var rejectedEntities: [String: String] = [:]
        let toWrite = writtenEntities.unwritten(entityRows)
        for rejected in try await graph.writeEntities(toWrite) {
            rejectedEntities[rejected.row.key] = rejected.reason
        }
        writtenEntities.insert(toWrite.filter { rejectedEntities[$0.key] == nil })

        var mentionGroups: [GraphWriter.DocumentMentions] = []
        for document in batch where failed[document.source] == nil {
            guard let row = bySource[document.source] else { continue }
            if let bad = document.mentions.first(where: { rejectedEntities[$0.key] != nil }) {
                failed[document.source] = "entity \(bad.key) rejected by the graph: \(rejectedEntities[bad.key]!)"
                continue
            }
            mentionGroups.append(GraphWriter.DocumentMentions(documentID: row.id, mentions: document.mentions.compactMap { mention in
                entityIDs[mention.key].map {
                    GraphMentionRow(documentID: row.id, entityID: $0, count: Int64(mention.count), offsets: mention.offsets)
                }
            }))
        }
        let sourceByID = Dictionary(documentRows.map { ($0.id, $0.source) }, uniquingKeysWith: { first, _ in first })
        for rejected in try await graph.replaceMentions(mentionGroups) {
            if let source = sourceByID[rejected.row.documentID] {
                failed[source] = "MENTIONS of \(source) rejected by the graph: \(rejected.reason)"
            }
        }

        // Record: snapshots and `loaded` for what landed, `failed` and dead letters for the rest.
        var snapshots: [Int64: [MentionCount]] = [:]
        var loaded: [LoadedDocument] = []
        for group in mentionGroups {
            guard let row = bySource[sourceByID[group.documentID] ?? ""], failed[row.source] == nil else { continue }
            snapshots[group.documentID] = group.mentions.map { MentionCount(entityID: $0.entityID, count: Int($0.count)) }
        }
        for document in batch {
            guard let row = bySource[document.source], failed[document.source] == nil else { continue }
            snapshots[row.id, default: []] += []
            loaded.append(LoadedDocument(id: row.id, sha256: document.sha256, version: row.version, fingerprint: fingerprint,
                                         bytes: document.bytes, charset: document.charset, fileSize: document.fileSize,
                                         fileModified: document.fileModified))
            outcome.mentions += document.mentionCount
            outcome.relationships += document.mentions.count
            for mention in document.mentions { outcome.entityKeys.insert(mention.key) }
        }
        try await registry.replaceMentionSnapshots(snapshots)
        try await registry.markLoaded(loaded)
        outcome.loaded = loaded.count

        if !failed.isEmpty {
            outcome.failures = failed.sorted { $0.key < $1.key }.map { DocumentFailure(source: $0.key, stage: .load, reason: $0.value) }
            try await registry.markFailed(outcome.failures.compactMap { failure in
                documentIDs[failure.source].map { FailedDocument(id: $0, error: failure.reason) }
            })
        }
        return outcome
    }
}
