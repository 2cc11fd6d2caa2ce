/// What a `consume` run did, as `--json` prints it and its run's row keeps it.
public struct ConsumeSummary: Sendable, Codable, Equatable {
    public var runID: Int64?
    /// Messages taken from the topic (every kind).
    public var consumed = 0
    /// Documents written, deleted (tombstones), found unchanged, and messages dead-lettered.
    public var loaded = 0
    public var deleted = 0
    public var unchanged = 0
    public var dead = 0
    /// Messages a newer message of the same key in the same round made moot.
    public var superseded = 0
    /// Rounds loaded and committed.
    public var rounds = 0
    /// Entities whose last MENTIONS went with replaced or deleted documents.
    public var orphansDeleted = 0
    /// The next offset committed for each partition (by this process), as `"partition": offset`.
    public var committedOffsets: [String: Int64] = [:]
    /// Mentions, relationships, chunks and bytes of the loaded documents, summed over the rounds.
    public var mentions = 0
    public var relationships = 0
    public var chunks = 0
    public var bytes: Int64 = 0
    public var seconds = 0.0
    /// Seconds each stage was busy, summed over the rounds.
    public var stageSeconds: [String: Double] = [:]
    /// The communities computed at the end (nil with `--no-communities`).
    public var communities: CommunitySummary?

    public init() {}

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", consumed, loaded, deleted, unchanged, dead = "dead_letters", superseded, rounds
        case orphansDeleted = "orphans_deleted", committedOffsets = "committed_offsets", mentions, relationships, chunks, bytes, seconds
        case stageSeconds = "stage_seconds", communities
    }

    /// Adds one round's pipeline figures.
    mutating func add(_ round: IngestSummary) {
        loaded += round.loaded
        unchanged += round.unchanged
        dead += round.deadLetters
        mentions += round.mentions
        relationships += round.relationships
        chunks += round.chunks
        bytes += round.bytes
        for (stage, seconds) in round.stageSeconds { stageSeconds[stage, default: 0] += seconds }
    }

    /// Adds one round's figures (``ConsumeRounds``).
    mutating func add(_ round: ConsumeSummary) {
        consumed += round.consumed
        loaded += round.loaded
        deleted += round.deleted
        unchanged += round.unchanged
        dead += round.dead
        superseded += round.superseded
        rounds += round.rounds
        orphansDeleted += round.orphansDeleted
        // Rounds commit in order, so a later round's offset is the newer one.
        committedOffsets.merge(round.committedOffsets) { max($0, $1) }
        mentions += round.mentions
        relationships += round.relationships
        chunks += round.chunks
        bytes += round.bytes
        for (stage, seconds) in round.stageSeconds { stageSeconds[stage, default: 0] += seconds }
    }

    /// One human line for stderr.
    public var text: String {
        "\(consumed) messages consumed in \(rounds) rounds: \(loaded) documents loaded, \(deleted) deleted, \(unchanged) unchanged, "
            + "\(dead) dead letters, \(superseded) superseded; \(mentions) mentions, \(chunks) chunks in \(formatted(seconds, digits: 2)) s"
            + (communities.map { "; " + $0.text } ?? "")
    }
}
