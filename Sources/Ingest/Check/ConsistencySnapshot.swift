/// The identity and checked properties of a document, on either side of a check.
public struct DocumentFacts: Sendable, Hashable {
    public var source: String
    public var sha256: String

    public init(source: String, sha256: String) {
        self.source = source
        self.sha256 = sha256
    }
}

/// The identity and checked properties of an entity, on either side of a check.
public struct EntityFacts: Sendable, Hashable {
    public var key: String
    public var name: String
    public var type: String

    public init(key: String, name: String, type: String) {
        self.key = key
        self.name = name
        self.type = type
    }
}

/// A (document, entity) pair: one MENTIONS relationship.
public struct MentionPair: Sendable, Hashable, Comparable {
    public var documentID: Int64
    public var entityID: Int64

    public init(documentID: Int64, entityID: Int64) {
        self.documentID = documentID
        self.entityID = entityID
    }

    public static func < (lhs: MentionPair, rhs: MentionPair) -> Bool {
        (lhs.documentID, lhs.entityID) < (rhs.documentID, rhs.entityID)
    }
}

/// What the graph holds, read in a few streaming queries (never one round trip per document).
public struct GraphSnapshot: Sendable {
    public var documents: [Int64: DocumentFacts] = [:]
    /// Ids carried by more than one Document node, with their node counts.
    public var duplicateDocumentIDs: [Int64: Int] = [:]
    public var entities: [Int64: EntityFacts] = [:]
    /// Ids carried by more than one Entity node, with their node counts.
    public var duplicateEntityIDs: [Int64: Int] = [:]
    /// MENTIONS between a Document and an Entity, with their `count` (-1 when the relationship
    /// has none, or not an integer).
    public var mentions: [MentionPair: Int64] = [:]
    /// Pairs joined by more than one MENTIONS relationship (the model has at most one).
    public var parallelMentions: Set<MentionPair> = []
    /// Entity ids that no MENTIONS points at.
    public var orphanEntityIDs: Set<Int64> = []
    /// Element ids (as the server reports them) of MENTIONS whose ends are not Document -> Entity.
    public var danglingMentions: [String] = []
    /// Whether the uniqueness constraints on Document.id and Entity.id exist.
    public var hasDocumentConstraint = true
    public var hasEntityConstraint = true

    public init() {}
}

/// What the registry says the graph should hold.
public struct RegistrySnapshot: Sendable {
    /// Documents with status `loaded`.
    public var loadedDocuments: [Int64: DocumentFacts] = [:]
    /// Every document id the registry knows, in any status (tombstones included).
    public var knownDocumentIDs: Set<Int64> = []
    /// Ids of tombstoned (deleted) documents.
    public var deletedDocumentIDs: Set<Int64> = []
    public var entities: [Int64: EntityFacts] = [:]
    /// The mention snapshots of loaded documents.
    public var mentions: [MentionPair: Int64] = [:]
    /// Documents whose `indexing` lease expired.
    public var expiredLeaseDocumentIDs: Set<Int64> = []

    public init() {}
}
