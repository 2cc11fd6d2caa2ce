package import GraphStore
package import Registry

extension GraphSnapshot {
    /// Folds the chunk layer in: a node counts as its document's chunk when a FROM_DOCUMENT
    /// leads from it to the document its id names; the others are detached. An id that two
    /// records hang from its document is a duplicate (two nodes, or one with two FROM_DOCUMENT).
    package mutating func addChunkLayer(chunks: [GraphChunkNode], nextChunks: [GraphChunkLink], chunkMentions: [GraphChunkMentionEdge]) {
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
    package init(
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
    /// Folds in the chunk snapshots of loaded documents (rows arrive in document and index
    /// order) and the documents awaiting re-extraction.
    package mutating func addChunkLayer(chunks: [ChunkRecord], awaitingReextraction: [DocumentReference]) {
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
    package init(documents: [DocumentRecord], entities: [EntityRecord], mentions: [MentionRecord], expiredLeases: [DocumentReference]) {
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
}
