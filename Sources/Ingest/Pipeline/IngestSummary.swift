/// What a pipeline run did, as `--json` prints it and the run's row in the registry keeps it.
public struct IngestSummary: Sendable, Codable, Equatable {
    public var runID: Int64?
    /// Documents written to the graph and marked loaded.
    public var loaded = 0
    /// Documents skipped because they were loaded with the same content and fingerprint.
    public var unchanged = 0
    /// Documents (files, records) read and hashed.
    public var read = 0
    /// Documents that went through extraction (the rest were read and found unchanged).
    public var extracted = 0
    /// Documents this process claimed from the registry's queue (the others were unchanged, or
    /// loaded by other processes), and the claims (registry round trips) it took.
    public var claimed = 0
    public var claims = 0
    /// Documents this process met while another held them, and which that one then settled.
    public var settledByOthers = 0
    /// Registry transactions the process ran during the run (claims, lease renewals, commits).
    public var registryTransactions = 0
    /// Files, records or documents that went to dead letters.
    public var deadLetters = 0
    public var mentions = 0
    /// MENTIONS relationships written.
    public var relationships = 0
    /// Chunk nodes the loaded documents have.
    public var chunks = 0
    /// Distinct entities the loaded documents mention.
    public var entities = 0
    /// Windows, pairs and CO_OCCURS_WITH edges.
    public var cooccurrence = CooccurrenceSummary()
    /// Bytes of the documents loaded.
    public var bytes: Int64 = 0
    public var seconds = 0.0
    /// Seconds each stage was busy, summed over its workers.
    public var stageSeconds: [String: Double] = [:]
    /// The communities computed at the run's end, and what was written (nil with
    /// `--no-communities`).
    public var communities: CommunitySummary?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", loaded, unchanged, read, extracted, claimed, claims, settledByOthers = "settled_by_others", registryTransactions = "registry_transactions", deadLetters = "dead_letters", mentions, relationships, chunks, entities, cooccurrence, bytes, seconds
        case stageSeconds = "stage_seconds", communities
    }

    /// One human line for stderr.
    public var text: String {
        let megabytes = Double(bytes) / 1_000_000
        return "\(loaded) documents loaded, \(unchanged) unchanged, \(deadLetters) dead letters, \(mentions) mentions "
            + "(\(relationships) MENTIONS) of \(entities) entities, \(chunks) chunks, \(cooccurrence.text), \(formatted(megabytes, digits: 2)) MB in \(formatted(seconds, digits: 2)) s"
            + (communities.map { "; " + $0.text } ?? "")
    }
}

