import Foundation

/// A document taken from the work queue, leased to the caller until `leaseUntil`.
public struct ClaimedDocument: Sendable, Hashable {
    /// The registry id.
    public var id: Int64
    /// The source.
    public var source: String
    /// The SHA-256 recorded at the last load or registration, if any.
    public var sha256: String?
    /// The version last loaded (0 when never loaded).
    public var version: Int64
    /// The fingerprint of the last load, if any.
    public var fingerprint: String?
    /// When the lease ends and another worker may claim the document.
    public var leaseUntil: Date
}
