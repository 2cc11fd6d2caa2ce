/// A row of `document_mentions`.
public struct MentionRecord: Sendable, Hashable {
    /// The document's registry id.
    public var documentID: Int64
    /// The entity's registry id.
    public var entityID: Int64
    /// How many times the document mentions the entity.
    public var count: Int
}
