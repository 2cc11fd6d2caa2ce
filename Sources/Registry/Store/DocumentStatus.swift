/// Where a document is in its life in the registry.
public enum DocumentStatus: String, Sendable, Hashable, CaseIterable, Codable {
    /// Registered, waiting to be indexed.
    case pending
    /// Claimed by a worker whose lease has not expired.
    case indexing
    /// In the graph, with the mention snapshot the registry holds.
    case loaded
    /// Indexing failed; the error is kept on the row.
    case failed
    /// Gone from disk; the row stays as a tombstone so that its id is never reused.
    case deleted
}

extension DocumentStatus: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> DocumentStatus? {
        DocumentStatus(rawValue: String(decoding: text, as: UTF8.self))
    }
}
