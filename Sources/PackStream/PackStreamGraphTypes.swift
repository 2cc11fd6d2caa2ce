/// A node: structure `N` (`0x4E`), fields id, labels, properties and (Bolt 5) element id.
///
/// See https://neo4j.com/docs/bolt/current/bolt/structure-semantics/#structure-node.
public struct PackStreamNode: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.node
    /// The legacy numeric id.
    public var id: Int64
    /// The labels.
    public var labels: [String]
    /// The properties.
    public var properties: [String: PackStreamValue]
    /// The element id (Bolt 5 and later; nil on 4.4).
    public var elementId: String?

    /// Creates a value from its parts.
    public init(id: Int64, labels: [String], properties: [String: PackStreamValue], elementId: String? = nil) {
        self.id = id
        self.labels = labels
        self.properties = properties
        self.elementId = elementId
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 3 || fields.count == 4,
              let id = fields.integer(at: 0),
              let labelValues = fields[1].listValue,
              let properties = fields[2].mapValue
        else { return nil }
        var labels: [String] = []
        labels.reserveCapacity(labelValues.count)
        for value in labelValues {
            guard let label = value.stringValue else { return nil }
            labels.append(label)
        }
        var elementId: String?
        if fields.count == 4 {
            guard let value = fields.string(at: 3) else { return nil }
            elementId = value
        }
        self.init(id: id, labels: labels, properties: properties, elementId: elementId)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] {
        var fields: [PackStreamValue] = [.integer(id), .list(labels.map(PackStreamValue.string)), .map(properties)]
        if let elementId { fields.append(.string(elementId)) }
        return fields
    }

    public var description: String {
        "(" + labels.map { ":" + $0 }.joined() + " " + PackStreamValue.map(properties).description + ")"
    }
}

/// A relationship: structure `R` (`0x52`), fields id, start and end node ids, type, properties
/// and (Bolt 5) the three element ids.
///
/// See https://neo4j.com/docs/bolt/current/bolt/structure-semantics/#structure-relationship.
public struct PackStreamRelationship: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.relationship
    /// The id.
    public var id: Int64
    /// The start node id.
    public var startNodeId: Int64
    /// The end node id.
    public var endNodeId: Int64
    /// The type.
    public var type: String
    /// The properties.
    public var properties: [String: PackStreamValue]
    /// The element id.
    public var elementId: String?
    /// The start node element id.
    public var startNodeElementId: String?
    /// The end node element id.
    public var endNodeElementId: String?

    /// Creates a value from its parts.
    public init(
        id: Int64, startNodeId: Int64, endNodeId: Int64, type: String, properties: [String: PackStreamValue],
        elementId: String? = nil, startNodeElementId: String? = nil, endNodeElementId: String? = nil
    ) {
        self.id = id
        self.startNodeId = startNodeId
        self.endNodeId = endNodeId
        self.type = type
        self.properties = properties
        self.elementId = elementId
        self.startNodeElementId = startNodeElementId
        self.endNodeElementId = endNodeElementId
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 5 || fields.count == 8,
              let id = fields.integer(at: 0), let start = fields.integer(at: 1), let end = fields.integer(at: 2),
              let type = fields.string(at: 3), let properties = fields[4].mapValue
        else { return nil }
        self.init(id: id, startNodeId: start, endNodeId: end, type: type, properties: properties)
        if fields.count == 8 {
            guard let element = fields.string(at: 5), let startElement = fields.string(at: 6),
                  let endElement = fields.string(at: 7)
            else { return nil }
            elementId = element
            startNodeElementId = startElement
            endNodeElementId = endElement
        }
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] {
        var fields: [PackStreamValue] = [.integer(id), .integer(startNodeId), .integer(endNodeId), .string(type), .map(properties)]
        if let elementId, let startNodeElementId, let endNodeElementId {
            fields += [.string(elementId), .string(startNodeElementId), .string(endNodeElementId)]
        }
        return fields
    }

    public var description: String { "[:\(type) \(PackStreamValue.map(properties))]" }
}

/// A relationship inside a path, without its end nodes: structure `r` (`0x72`).
///
/// See https://neo4j.com/docs/bolt/current/bolt/structure-semantics/#structure-unboundrelationship.
public struct PackStreamUnboundRelationship: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.unboundRelationship
    /// The id.
    public var id: Int64
    /// The type.
    public var type: String
    /// The properties.
    public var properties: [String: PackStreamValue]
    /// The element id.
    public var elementId: String?

    /// Creates a value from its parts.
    public init(id: Int64, type: String, properties: [String: PackStreamValue], elementId: String? = nil) {
        self.id = id
        self.type = type
        self.properties = properties
        self.elementId = elementId
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 3 || fields.count == 4,
              let id = fields.integer(at: 0), let type = fields.string(at: 1), let properties = fields[2].mapValue
        else { return nil }
        var elementId: String?
        if fields.count == 4 {
            guard let value = fields.string(at: 3) else { return nil }
            elementId = value
        }
        self.init(id: id, type: type, properties: properties, elementId: elementId)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] {
        var fields: [PackStreamValue] = [.integer(id), .string(type), .map(properties)]
        if let elementId { fields.append(.string(elementId)) }
        return fields
    }

    public var description: String { "[:\(type) \(PackStreamValue.map(properties))]" }
}

/// A path: structure `P` (`0x50`), fields nodes, relationships and the indices that walk them.
///
/// See https://neo4j.com/docs/bolt/current/bolt/structure-semantics/#structure-path.
public struct PackStreamPath: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.path
    /// The nodes.
    public var nodes: [PackStreamNode]
    /// The relationships.
    public var relationships: [PackStreamUnboundRelationship]
    /// Alternating relationship index (1-based, negative for reversed) and node index.
    public var indices: [Int64]

    /// Creates a value from its parts.
    public init(nodes: [PackStreamNode], relationships: [PackStreamUnboundRelationship], indices: [Int64]) {
        self.nodes = nodes
        self.relationships = relationships
        self.indices = indices
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 3, let nodeValues = fields[0].listValue, let relationshipValues = fields[1].listValue,
              let indexValues = fields[2].listValue
        else { return nil }
        var nodes: [PackStreamNode] = []
        for value in nodeValues {
            guard case .node(let node) = value else { return nil }
            nodes.append(node)
        }
        var relationships: [PackStreamUnboundRelationship] = []
        for value in relationshipValues {
            guard case .unboundRelationship(let relationship) = value else { return nil }
            relationships.append(relationship)
        }
        var indices: [Int64] = []
        for value in indexValues {
            guard let index = value.intValue else { return nil }
            indices.append(index)
        }
        self.init(nodes: nodes, relationships: relationships, indices: indices)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] {
        [
            .list(nodes.map(PackStreamValue.node)),
            .list(relationships.map(PackStreamValue.unboundRelationship)),
            .list(indices.map(PackStreamValue.integer)),
        ]
    }

    public var description: String { "<path of \(nodes.count) nodes>" }
}
