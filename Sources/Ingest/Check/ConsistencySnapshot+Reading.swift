public import GraphStore
public import Registry

extension GraphSnapshot {
    /// Reads the graph's side of a check: documents, entities, MENTIONS, dangling MENTIONS and
    /// constraints (listed in `dialect`'s own statement), five streaming queries run
    /// concurrently.
    public static func read(from reader: GraphReader, dialect: GraphDialect) async throws -> GraphSnapshot {
        async let documents = reader.documents()
        async let entities = reader.entities()
        async let mentions = reader.mentions()
        async let dangling = reader.danglingMentions()
        async let constraints = reader.constraints(dialect: dialect)
        return try await GraphSnapshot(
            documents: documents, entities: entities, mentions: mentions, danglingMentions: dangling, constraints: constraints)
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
    }
}

extension RegistrySnapshot {
    /// Reads the registry's side of a check: documents, entities and mention snapshots page by
    /// page (keyset pagination, concurrently), and the expired leases.
    public static func read(from registry: RegistryStore) async throws -> RegistrySnapshot {
        async let documents = all(registry.documents(status: nil))
        async let entities = all(registry.entities())
        async let mentions = all(registry.mentions())
        async let leases = registry.expiredLeases()
        return try await RegistrySnapshot(documents: documents, entities: entities, mentions: mentions, expiredLeases: leases)
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
