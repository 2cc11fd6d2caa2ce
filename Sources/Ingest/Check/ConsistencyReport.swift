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
    case missingConstraints = "missing_constraints"
    case expiredLeases = "expired_leases"

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
        case .missingConstraints: "uniqueness constraints missing on Document.id or Entity.id"
        case .expiredLeases: "documents stuck in indexing past their lease"
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
