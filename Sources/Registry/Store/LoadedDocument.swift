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
