/// A document id with its source.
public struct DocumentReference: Sendable, Hashable {
    /// The registry id.
    public var id: Int64
    /// The source.
    public var source: String
}
