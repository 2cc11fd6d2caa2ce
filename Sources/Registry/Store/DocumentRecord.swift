/// A document row, as the bulk readers return it.
public struct DocumentRecord: Sendable, Hashable {
    /// The registry id.
    public var id: Int64
    /// The source.
    public var source: String
    /// The content's SHA-256, when known.
    public var sha256: String?
    /// The content's length in bytes, when known.
    public var bytes: Int64?
    /// The status.
    public var status: DocumentStatus
    /// The version last loaded.
    public var version: Int64
    /// The fingerprint of the last load.
    public var fingerprint: String?
}
