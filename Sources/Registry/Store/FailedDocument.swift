/// A document whose indexing failed, with the reason.
public struct FailedDocument: Sendable, Hashable {
    /// The registry id.
    public var id: Int64
    /// What went wrong (no document text).
    public var error: String

    /// Makes a failure record.
    public init(id: Int64, error: String) {
        self.id = id
        self.error = error
    }
}
