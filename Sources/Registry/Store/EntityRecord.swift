/// An entity row.
public struct EntityRecord: Sendable, Hashable {
    /// The registry id.
    public var id: Int64
    /// The unique key.
    public var key: String
    /// The display name.
    public var name: String
    /// The entity type.
    public var type: String
}
