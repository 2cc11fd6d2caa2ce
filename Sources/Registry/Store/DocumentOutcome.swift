import Foundation

/// What the pipeline wrote to the graph for a document, to record as `loaded`.
public struct LoadedDocument: Sendable, Hashable {
    /// The registry id.
    public var id: Int64
    /// The SHA-256 of the content that was loaded.
    public var sha256: String
    /// The version written to the graph (the claimed version plus one, by convention). Given
    /// explicitly so that recording the same load twice is harmless.
    public var version: Int64
    /// The extractor fingerprint (gazetteer, rules and settings) the mentions came from.
    public var fingerprint: String?
    /// The content's length in bytes.
    public var bytes: Int64?
    /// The character set the content was decoded from.
    public var charset: String?
    /// The file's size on disk at load time.
    public var fileSize: Int64?
    /// The file's modification time at load time.
    public var fileModified: Date?
    /// The run that loaded it (lineage; also how a run tells a source it meets twice).
    public var runID: Int64?

    /// Makes a record of a load.
    public init(id: Int64, sha256: String, version: Int64, fingerprint: String? = nil, bytes: Int64? = nil,
                charset: String? = nil, fileSize: Int64? = nil, fileModified: Date? = nil, runID: Int64? = nil) {
        self.id = id
        self.sha256 = sha256
        self.version = version
        self.fingerprint = fingerprint
        self.bytes = bytes
        self.charset = charset
        self.fileSize = fileSize
        self.fileModified = fileModified
        self.runID = runID
    }
}

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

/// A row of `document_mentions`.
public struct MentionRecord: Sendable, Hashable {
    /// The document's registry id.
    public var documentID: Int64
    /// The entity's registry id.
    public var entityID: Int64
    /// How many times the document mentions the entity.
    public var count: Int
}

/// A document id with its source.
public struct DocumentReference: Sendable, Hashable {
    /// The registry id.
    public var id: Int64
    /// The source.
    public var source: String
}
