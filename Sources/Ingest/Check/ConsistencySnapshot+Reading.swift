public import GraphStore
public import Registry

extension GraphSnapshot {
    /// Reads the graph's side of a check: documents, entities, MENTIONS, dangling MENTIONS,
    /// constraints (listed in `dialect`'s own statement), chunks, NEXT_CHUNK and FROM_CHUNK,
    /// eight streaming queries run concurrently.
    public static func read(from reader: GraphReader, dialect: GraphDialect) async throws -> GraphSnapshot {
        async let documents = reader.documents()
        async let entities = reader.entities()
        async let mentions = reader.mentions()
        async let dangling = reader.danglingMentions()
        async let constraints = reader.constraints(dialect: dialect)
        async let chunks = reader.chunks()
        async let nextChunks = reader.nextChunks()
        async let chunkMentions = reader.chunkMentions()
        var snapshot = try await GraphSnapshot(
            documents: documents, entities: entities, mentions: mentions, danglingMentions: dangling, constraints: constraints)
        try await snapshot.addChunkLayer(chunks: chunks, nextChunks: nextChunks, chunkMentions: chunkMentions)
        return snapshot
    }

    /// Folds the chunk layer in: a node counts as its document's chunk when a FROM_DOCUMENT
    /// leads from it to the document its id names; the others are detached. An id that two
    /// records hang from its document is a duplicate (two nodes, or one with two FROM_DOCUMENT).
    public mutating func addChunkLayer(chunks: [GraphChunkNode], nextChunks: [GraphChunkLink], chunkMentions: [GraphChunkMentionEdge]) {
        self.chunks.reserveCapacity(chunks.count)
        for node in chunks {
            guard let id = node.id else { continue }
            guard let key = ChunkKey(chunkID: id), node.documentID == key.documentID else {
                detachedChunkIDs.insert(id)
                continue
            }
            let facts = ChunkFacts(index: node.index ?? -1, start: node.start ?? -1, end: node.end ?? -1, sha256: node.sha256 ?? "")
            if self.chunks.updateValue(facts, forKey: key) != nil {
                duplicateChunkKeys.insert(key)
            }
        }
        self.nextChunks = nextChunks
        self.chunkMentions = chunkMentions
    }

    /// Folds what the graph returned into a snapshot: duplicate ids, parallel MENTIONS and
    /// orphans (ids none of whose nodes a MENTIONS points at) are found here. Nodes without an
    /// integer id cannot be compared and are left out.
    public init(
        documents: [GraphDocumentNode], entities: [GraphEntityNode], mentions: [GraphMentionEdge],
        danglingMentions: [String], constraints: [GraphConstraint]
    ) {
        self.init()
        self.documents.reserveCapacity(documents.count)
        for node in documents {
            guard let id = node.id else { continue }
            if self.documents.updateValue(DocumentFacts(source: node.source ?? "", sha256: node.sha256 ?? ""), forKey: id) != nil {
                duplicateDocumentIDs[id, default: 1] += 1
            }
        }
        var mentioned = Set<Int64>()
        for node in entities {
            guard let id = node.id else { continue }
            if self.entities.updateValue(EntityFacts(key: node.key ?? "", name: node.name ?? "", type: node.type ?? ""), forKey: id) != nil {
                duplicateEntityIDs[id, default: 1] += 1
            }
            if node.isMentioned { mentioned.insert(id) }
        }
        orphanEntityIDs = Set(self.entities.keys).subtracting(mentioned)
        self.mentions.reserveCapacity(mentions.count)
        for edge in mentions {
            let pair = MentionPair(documentID: edge.documentID, entityID: edge.entityID)
            if self.mentions.updateValue(edge.count ?? -1, forKey: pair) != nil {
                parallelMentions.insert(pair)
            }
        }
        self.danglingMentions = danglingMentions
        hasDocumentConstraint = constraints.contains { $0.makesUnique(label: "Document", property: "id") }
        hasEntityConstraint = constraints.contains { $0.makesUnique(label: "Entity", property: "id") }
        hasChunkConstraint = constraints.contains { $0.makesUnique(label: "Chunk", property: "id") }
    }
}

extension RegistrySnapshot {
    /// Reads the registry's side of a check: documents, entities, mention and chunk snapshots
    /// page by page (keyset pagination, concurrently), the expired leases and the documents
    /// awaiting re-extraction.
    public static func read(from registry: RegistryStore) async throws -> RegistrySnapshot {
        async let documents = all(registry.documents(status: nil))
        async let entities = all(registry.entities())
        async let mentions = all(registry.mentions())
        async let chunks = all(registry.chunks())
        async let leases = registry.expiredLeases()
        async let awaiting = registry.documentsAwaitingReextraction()
        var snapshot = try await RegistrySnapshot(documents: documents, entities: entities, mentions: mentions, expiredLeases: leases)
        try await snapshot.addChunkLayer(chunks: chunks, awaitingReextraction: awaiting)
        return snapshot
    }

    /// Folds in the chunk snapshots of loaded documents (rows arrive in document and index
    /// order) and the documents awaiting re-extraction.
    public mutating func addChunkLayer(chunks: [ChunkRecord], awaitingReextraction: [DocumentReference]) {
        self.chunks.reserveCapacity(chunks.count)
        for chunk in chunks where loadedDocuments[chunk.documentID] != nil {
            let index = Int64(chunk.index)
            self.chunks[ChunkKey(documentID: chunk.documentID, index: index)] = ChunkFacts(
                index: index, start: chunk.start, end: chunk.end, sha256: chunk.sha256)
            chunkIndexes[chunk.documentID, default: []].append(index)
        }
        awaitingReextractionIDs = Set(awaitingReextraction.map(\.id))
    }

    /// Builds a snapshot from registry rows: only `loaded` documents (and their mention
    /// snapshots) say what the graph must hold; every row says which ids the registry knows.
    public init(documents: [DocumentRecord], entities: [EntityRecord], mentions: [MentionRecord], expiredLeases: [DocumentReference]) {
        self.init()
        for document in documents {
            knownDocumentIDs.insert(document.id)
            switch document.status {
            case .loaded: loadedDocuments[document.id] = DocumentFacts(source: document.source, sha256: document.sha256 ?? "")
            case .deleted: deletedDocumentIDs.insert(document.id)
            default: break
            }
        }
        self.entities.reserveCapacity(entities.count)
        for entity in entities {
            self.entities[entity.id] = EntityFacts(key: entity.key, name: entity.name, type: entity.type)
        }
        self.mentions.reserveCapacity(mentions.count)
        for mention in mentions where loadedDocuments[mention.documentID] != nil {
            self.mentions[MentionPair(documentID: mention.documentID, entityID: mention.entityID)] = Int64(mention.count)
        }
        expiredLeaseDocumentIDs = Set(expiredLeases.map(\.id))
    }

    private static func all<Row: Sendable>(_ pages: RegistryPages<Row>) async throws -> [Row] {
        var rows: [Row] = []
        for try await page in pages { rows += page }
        return rows
    }
}
