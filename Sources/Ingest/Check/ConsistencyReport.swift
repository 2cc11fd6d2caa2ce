/// One class of inconsistency `graphingest check` looks for.
public enum ConsistencyCheck: String, Sendable, CaseIterable, Codable {
    case missingDocuments = "missing_documents"
    case unknownDocuments = "unknown_documents"
    case deletedDocumentsInGraph = "deleted_documents_in_graph"
    case mentionMismatches = "mention_mismatches"
    case entitiesNotInRegistry = "entities_not_in_registry"
    case missingEntities = "missing_entities"
    case orphanEntities = "orphan_entities"
    case duplicateDocumentIDs = "duplicate_document_ids"
    case duplicateEntityIDs = "duplicate_entity_ids"
    case danglingMentions = "dangling_mentions"
    case documentPropertyDrift = "document_property_drift"
    case entityPropertyDrift = "entity_property_drift"
    case missingChunks = "missing_chunks"
    case extraChunks = "extra_chunks"
    case chunkDrift = "chunk_drift"
    case brokenChunkChains = "broken_chunk_chains"
    case strayChunkMentions = "stray_chunk_mentions"
    case chunkMentionCountMismatches = "chunk_mention_count_mismatches"
    case missingRelations = "missing_relations"
    case extraRelations = "extra_relations"
    case relationCountDrift = "relation_count_drift"
    case relationTotalDrift = "relation_total_drift"
    case missingConstraints = "missing_constraints"
    case expiredLeases = "expired_leases"
    case awaitingReextraction = "awaiting_reextraction"

    /// What the check means, for the human report.
    public var summary: String {
        switch self {
        case .missingDocuments: "documents loaded in the registry but missing from the graph"
        case .unknownDocuments: "Document nodes the registry does not know"
        case .deletedDocumentsInGraph: "Document nodes of documents the registry tombstoned"
        case .mentionMismatches: "documents whose MENTIONS differ from the registry snapshot"
        case .entitiesNotInRegistry: "Entity nodes the registry does not know"
        case .missingEntities: "entities the registry's snapshots need but the graph lacks"
        case .orphanEntities: "Entity nodes no document mentions"
        case .duplicateDocumentIDs: "Document ids carried by more than one node"
        case .duplicateEntityIDs: "Entity ids carried by more than one node"
        case .danglingMentions: "MENTIONS whose ends are not a Document and an Entity"
        case .documentPropertyDrift: "Document nodes whose source or sha256 differ from the registry"
        case .entityPropertyDrift: "Entity nodes whose key, name or type differ from the registry"
        case .missingChunks: "chunks the registry lists for a document but the graph lacks"
        case .extraChunks: "Chunk nodes the registry does not list, or not hanging from their document"
        case .chunkDrift: "Chunk nodes whose index, start, end or sha256 differ from the registry"
        case .brokenChunkChains: "documents whose NEXT_CHUNK chain is not their chunks in index order"
        case .strayChunkMentions: "FROM_CHUNK to a chunk the registry does not list, or from an entity the document does not mention"
        case .chunkMentionCountMismatches: "documents whose FROM_CHUNK counts do not add up to their MENTIONS counts"
        case .missingRelations: "entity pairs whose registry totals reach the threshold but have no CO_OCCURS_WITH"
        case .extraRelations: "CO_OCCURS_WITH with no registry totals at the threshold behind it, or from the higher id to the lower"
        case .relationCountDrift: "CO_OCCURS_WITH whose count or documents differ from the registry totals, or doubled"
        case .relationTotalDrift: "registry pair totals that are not the sum of the documents' pair counts"
        case .missingConstraints: "uniqueness constraints missing on Document.id, Entity.id or Chunk.id"
        case .expiredLeases: "documents stuck in indexing past their lease"
        case .awaitingReextraction: "documents check --repair queued for re-extraction (graphingest reindex PATH... redoes them)"
        }
    }
}

/// The outcome of one check: how many things it found, and some of them.
public struct ConsistencyFinding: Sendable, Equatable, Codable {
    public var check: ConsistencyCheck
    public var count: Int
    /// Up to the sample size of the ids (or names) found, smallest first.
    public var samples: [String]
}

/// The full report of `graphingest check`; consistent when every finding has a zero count.
public struct ConsistencyReport: Sendable, Equatable, Codable {
    public var findings: [ConsistencyFinding]

    public var isConsistent: Bool { findings.allSatisfy { $0.count == 0 } }

    /// The finding of one check.
    public subscript(check: ConsistencyCheck) -> ConsistencyFinding {
        findings.first { $0.check == check } ?? ConsistencyFinding(check: check, count: 0, samples: [])
    }
}
