import Foundation

/// A source found on disk during a reindex, with what is known about it.
///
/// With `sha256` the plan compares content hashes; without it, the cheap check compares
/// `fileSize` and `fileModified` with what was recorded at the last load, so that a caller can
/// plan with `stat` alone and hash only what looks changed.
public struct ReindexCandidate: Sendable, Hashable {
    /// The source, as registered.
    public var source: String
    /// The content's SHA-256, if computed.
    public var sha256: String?
    /// The file's size.
    public var fileSize: Int64?
    /// The file's modification time.
    public var fileModified: Date?

    /// Makes a candidate.
    public init(source: String, sha256: String? = nil, fileSize: Int64? = nil, fileModified: Date? = nil) {
        self.source = source
        self.sha256 = sha256
        self.fileSize = fileSize
        self.fileModified = fileModified
    }
}

/// What a reindex has to do.
public struct ReindexPlan: Sendable, Hashable {
    /// A registered document whose content (or extractor fingerprint) differs from its last load.
    public struct Changed: Sendable, Hashable {
        /// The registry id.
        public var id: Int64
        /// What was found on disk.
        public var candidate: ReindexCandidate
    }

    /// Found on disk, never registered or registered and deleted since: register and load.
    public var new: [ReindexCandidate] = []
    /// Registered, but the content, fingerprint or status says it must be loaded again.
    public var changed: [Changed] = []
    /// Loaded with the same content and fingerprint: nothing to do.
    public var unchanged: [DocumentReference] = []
    /// Registered under one of the roots, not deleted, and no longer found: remove.
    public var gone: [DocumentReference] = []
}
