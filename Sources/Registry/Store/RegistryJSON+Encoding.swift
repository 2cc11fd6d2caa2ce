extension RegistryJSON {
    /// The JSON value that `value` encodes to, built directly as a tree: what a run records as
    /// its figures, with no JSON text in between.
    ///
    /// Integers stay integers, floating-point numbers become `.number`, `nil` optionals are left
    /// out of objects (as `JSONEncoder` does).
    public init(encoding value: some Encodable) throws {
        let root = RegistryJSONNode()
        try value.encode(to: RegistryJSONTreeEncoder(node: root, codingPath: []))
        self = root.materialize()
    }

    /// The entries of an object; empty for any other value.
    public var objectEntries: [String: RegistryJSON] {
        if case .object(let entries) = self { return entries }
        return [:]
    }
}

/// A value being encoded: a leaf, or an object or array whose children are still being filled.
private final class RegistryJSONNode {
    enum Kind {
        case leaf(RegistryJSON)
        case object([String: RegistryJSONNode])
        case array([RegistryJSONNode])
    }

    var kind = Kind.leaf(.null)

    func materialize() -> RegistryJSON {
        switch kind {
        case .leaf(let value): return value
        case .object(let children): return .object(children.mapValues { $0.materialize() })
        case .array(let children): return .array(children.map { $0.materialize() })
        }
    }

    /// The child under `key`, made an object first if needed.
    func child(forKey key: String) -> RegistryJSONNode {
        var children: [String: RegistryJSONNode] = [:]
        if case .object(let existing) = kind { children = existing }
        let child = RegistryJSONNode()
        children[key] = child
        kind = .object(children)
        return child
    }

    /// A new last element, made an array first if needed.
    func appendChild() -> RegistryJSONNode {
        var children: [RegistryJSONNode] = []
        if case .array(let existing) = kind { children = existing }
        let child = RegistryJSONNode()
        children.append(child)
        kind = .array(children)
        return child
    }

    /// Encodes `value` into this node: scalars directly, anything else through its `encode(to:)`.
    func set(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let value as Bool: kind = .leaf(.bool(value))
        case let value as String: kind = .leaf(.string(value))
        case let value as Double: kind = .leaf(.number(value))
        case let value as Float: kind = .leaf(.number(Double(value)))
        case let value as Int: kind = .leaf(.integer(Int64(value)))
        case let value as Int64: kind = .leaf(.integer(value))
        case let value as Int32: kind = .leaf(.integer(Int64(value)))
        case let value as RegistryJSON: kind = .leaf(value)
        default: try value.encode(to: RegistryJSONTreeEncoder(node: self, codingPath: codingPath))
        }
    }
}

private struct RegistryJSONTreeEncoder: Encoder {
    let node: RegistryJSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object = node.kind {} else { node.kind = .object([:]) }
        return KeyedEncodingContainer(KeyedContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array = node.kind {} else { node.kind = .array([]) }
        return UnkeyedContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(node: node, codingPath: codingPath)
    }

    struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: RegistryJSONNode
        let codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { node.child(forKey: key.stringValue).kind = .leaf(.null) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try node.child(forKey: key.stringValue).set(value, codingPath: codingPath + [key])
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            RegistryJSONTreeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            RegistryJSONTreeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            RegistryJSONTreeEncoder(node: node.child(forKey: "super"), codingPath: codingPath)
        }
        mutating func superEncoder(forKey key: Key) -> any Encoder {
            RegistryJSONTreeEncoder(node: node.child(forKey: key.stringValue), codingPath: codingPath + [key])
        }
    }

    struct UnkeyedContainer: UnkeyedEncodingContainer {
        let node: RegistryJSONNode
        let codingPath: [any CodingKey]
        var count: Int {
            if case .array(let children) = node.kind { return children.count }
            return 0
        }

        mutating func encodeNil() throws { node.appendChild().kind = .leaf(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try node.appendChild().set(value, codingPath: codingPath) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            RegistryJSONTreeEncoder(node: node.appendChild(), codingPath: codingPath).container(keyedBy: keyType)
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            RegistryJSONTreeEncoder(node: node.appendChild(), codingPath: codingPath).unkeyedContainer()
        }
        mutating func superEncoder() -> any Encoder {
            RegistryJSONTreeEncoder(node: node.appendChild(), codingPath: codingPath)
        }
    }

    struct SingleContainer: SingleValueEncodingContainer {
        let node: RegistryJSONNode
        let codingPath: [any CodingKey]

        mutating func encodeNil() throws { node.kind = .leaf(.null) }
        mutating func encode<T: Encodable>(_ value: T) throws { try node.set(value, codingPath: codingPath) }
    }
}
