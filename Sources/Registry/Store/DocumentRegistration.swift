import Foundation

/// A source to register: its identity, and what is known about it so far.
public struct DocumentRegistration: Sendable, Hashable {
    /// The unique source: a path relative to its root, or the JSONL/CSV record id.
    public var source: String
    /// The content's SHA-256 in hex, when already computed.
    public var sha256: String?
    /// The content's length in bytes.
    public var bytes: Int64?
    /// The character set the content was decoded from.
    public var charset: String?
    /// The file's size on disk (for the cheap reindex check).
    public var fileSize: Int64?
    /// The file's modification time (for the cheap reindex check).
    public var fileModified: Date?

    /// Makes a registration; only `source` is required.
    public init(source: String, sha256: String? = nil, bytes: Int64? = nil, charset: String? = nil,
                fileSize: Int64? = nil, fileModified: Date? = nil) {
        self.source = source
        self.sha256 = sha256
        self.bytes = bytes
        self.charset = charset
        self.fileSize = fileSize
        self.fileModified = fileModified
    }
}

/// What the registry knew of a source when it was registered.
public struct RegisteredDocument: Sendable, Hashable {
    /// The document's registry id.
    public var id: Int64
    /// The version last loaded (0 for a document never loaded); the next load writes this plus one.
    public var version: Int64
    /// The run that last loaded it, if any (a run that meets its own id here is meeting the
    /// source a second time).
    public var loadedRun: Int64?

    /// Makes a registration result.
    public init(id: Int64, version: Int64, loadedRun: Int64? = nil) {
        self.id = id
        self.version = version
        self.loadedRun = loadedRun
    }
}

/// An entity key to register, with the name and type the graph shows for it.
public struct EntityRegistration: Sendable, Hashable {
    /// The gazetteer id or the rule's key, e.g. `geo:2988507`; unique.
    public var key: String
    /// The display name.
    public var name: String
    /// The entity type, e.g. `City`.
    public var type: String

    /// Makes a registration.
    public init(key: String, name: String, type: String) {
        self.key = key
        self.name = name
        self.type = type
    }
}

/// How many times a document mentions one entity: a row of its mention snapshot.
public struct MentionCount: Sendable, Hashable {
    /// The registry id of the entity.
    public var entityID: Int64
    /// The number of mentions, at least 1.
    public var count: Int

    /// Makes a count.
    public init(entityID: Int64, count: Int) {
        self.entityID = entityID
        self.count = count
    }
}
