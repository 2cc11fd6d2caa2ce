package import GraphStore

/// The identity and checked properties of a document, on either side of a check.
package struct DocumentFacts: Sendable, Hashable {
    package var source: String
    package var sha256: String

    package init(source: String, sha256: String) {
        self.source = source
        self.sha256 = sha256
    }
}

/// The identity and checked properties of an entity, on either side of a check.
package struct EntityFacts: Sendable, Hashable {
    package var key: String
    package var name: String
    package var type: String

    package init(key: String, name: String, type: String) {
        self.key = key
        self.name = name
        self.type = type
    }
}

/// A (document, entity) pair: one MENTIONS relationship.
package struct MentionPair: Sendable, Hashable, Comparable {
    package var documentID: Int64
    package var entityID: Int64

    package init(documentID: Int64, entityID: Int64) {
        self.documentID = documentID
        self.entityID = entityID
    }

    package static func < (lhs: MentionPair, rhs: MentionPair) -> Bool {
        (lhs.documentID, lhs.entityID) < (rhs.documentID, rhs.entityID)
    }
}

/// A chunk named by the document it belongs to and its index, as its id `"<document>:<index>"`
/// says.
package struct ChunkKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var documentID: Int64
    package var index: Int64

    package init(documentID: Int64, index: Int64) {
        self.documentID = documentID
        self.index = index
    }

    /// Reads a chunk id; nil when it is not `"<integer>:<integer>"` (such a chunk is none of
    /// the registry's).
    package init?(chunkID: String) {
        guard let colon = chunkID.firstIndex(of: ":"),
              let document = Int64(chunkID[..<colon]), let index = Int64(chunkID[chunkID.index(after: colon)...]), index >= 0
        else { return nil }
        self.init(documentID: document, index: index)
    }

    /// The chunk's id in the graph.
    package var description: String { "\(documentID):\(index)" }

    package static func < (lhs: ChunkKey, rhs: ChunkKey) -> Bool {
        (lhs.documentID, lhs.index) < (rhs.documentID, rhs.index)
    }
}

/// The checked properties of a chunk, on either side of a check (its text is not compared: the
/// registry keeps its SHA-256).
package struct ChunkFacts: Sendable, Hashable {
    package var index: Int64
    package var start: Int64
    package var end: Int64
    package var sha256: String

    package init(index: Int64, start: Int64, end: Int64, sha256: String) {
        self.index = index
        self.start = start
        self.end = end
        self.sha256 = sha256
    }
}

/// An (entity, chunk) pair: one FROM_CHUNK relationship.
package struct ChunkMentionPair: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var entityID: Int64
    package var chunkID: String

    package init(entityID: Int64, chunkID: String) {
        self.entityID = entityID
        self.chunkID = chunkID
    }

    /// `entity->chunk`, as the report's samples show it.
    package var description: String { "\(entityID)->\(chunkID)" }

    package static func < (lhs: ChunkMentionPair, rhs: ChunkMentionPair) -> Bool {
        (lhs.entityID, lhs.chunkID) < (rhs.entityID, rhs.chunkID)
    }
}

/// What the graph holds, read in a few streaming queries (never one round trip per document).
package struct GraphSnapshot: Sendable {
    package var documents: [Int64: DocumentFacts] = [:]
    /// Ids carried by more than one Document node, with their node counts.
    package var duplicateDocumentIDs: [Int64: Int] = [:]
    package var entities: [Int64: EntityFacts] = [:]
    /// Ids carried by more than one Entity node, with their node counts.
    package var duplicateEntityIDs: [Int64: Int] = [:]
    /// MENTIONS between a Document and an Entity, with their `count` (-1 when the relationship
    /// has none, or not an integer).
    package var mentions: [MentionPair: Int64] = [:]
    /// Pairs joined by more than one MENTIONS relationship (the model has at most one).
    package var parallelMentions: Set<MentionPair> = []
    /// Entity ids that no MENTIONS points at.
    package var orphanEntityIDs: Set<Int64> = []
    /// Element ids (as the server reports them) of MENTIONS whose ends are not Document -> Entity.
    package var danglingMentions: [String] = []
    /// Chunk nodes that hang by FROM_DOCUMENT from the document their id names.
    package var chunks: [ChunkKey: ChunkFacts] = [:]
    /// Those of ``chunks`` whose id more than one such node carries.
    package var duplicateChunkKeys: Set<ChunkKey> = []
    /// Ids of Chunk nodes that do not hang from the document their id names (no FROM_DOCUMENT,
    /// one to another document, or an id that names no document).
    package var detachedChunkIDs: Set<String> = []
    /// NEXT_CHUNK relationships between Chunks, by their ids.
    package var nextChunks: [GraphChunkLink] = []
    /// FROM_CHUNK relationships from Entities to Chunks, by their ids, with their counts.
    package var chunkMentions: [GraphChunkMentionEdge] = []
    /// Whether the uniqueness constraints on Document.id, Entity.id and Chunk.id exist.
    package var hasDocumentConstraint = true
    package var hasEntityConstraint = true
    package var hasChunkConstraint = true

    package init() {}
}

/// What the registry says the graph should hold.
package struct RegistrySnapshot: Sendable {
    /// Documents with status `loaded`.
    package var loadedDocuments: [Int64: DocumentFacts] = [:]
    /// Every document id the registry knows, in any status (tombstones included).
    package var knownDocumentIDs: Set<Int64> = []
    /// Ids of tombstoned (deleted) documents.
    package var deletedDocumentIDs: Set<Int64> = []
    package var entities: [Int64: EntityFacts] = [:]
    /// The mention snapshots of loaded documents.
    package var mentions: [MentionPair: Int64] = [:]
    /// Entities the mention snapshots of loaded documents name (those the graph must hold),
    /// when the snapshot holds another slice than its ``mentions`` (a range of entity ids);
    /// nil to take them from ``mentions``.
    package var neededEntities: Set<Int64>?

    /// Entities the mention snapshots of loaded documents name: those the graph must hold.
    package var neededEntityIDs: Set<Int64> { neededEntities ?? Set(mentions.keys.map(\.entityID)) }
    /// Documents whose `indexing` lease expired.
    package var expiredLeaseDocumentIDs: Set<Int64> = []
    /// The chunk snapshots of loaded documents.
    package var chunks: [ChunkKey: ChunkFacts] = [:]
    /// Each loaded document's chunk indexes in ascending order (documents without chunks are
    /// left out).
    package var chunkIndexes: [Int64: [Int64]] = [:]
    /// Documents `check --repair` marked for re-extraction that no run has loaded since.
    package var awaitingReextractionIDs: Set<Int64> = []

    package init() {}
}
