import Foundation

/// One command run: its arguments and, once finished, its figures (the lineage).
public struct RunRecord: Sendable, Hashable {
    /// The run id.
    public var id: Int64
    /// The command, e.g. `ingest`.
    public var command: String
    /// The command-line arguments (secrets are never passed as arguments).
    public var arguments: [String]
    /// When the run started.
    public var startedAt: Date
    /// When the run finished; nil while running or when it died.
    public var finishedAt: Date?
    /// The figures the run reported (counts, durations, rates).
    public var figures: [String: RegistryJSON]?
}

/// The pipeline stage where a document failed.
public enum DeadLetterStage: String, Sendable, Hashable, CaseIterable, Codable {
    /// Reading or decoding the source.
    case read
    /// Tokenizing and matching.
    case extract
    /// Writing to the graph or the registry.
    case load
}

extension DeadLetterStage: PostgresDecodable {
    package static func decode(text: UnsafeBufferPointer<UInt8>) -> DeadLetterStage? {
        DeadLetterStage(rawValue: String(decoding: text, as: UTF8.self))
    }
}

/// A failure to record as a dead letter.
public struct DeadLetterInput: Sendable, Hashable {
    /// The run that hit the failure, if any.
    public var runID: Int64?
    /// The source that failed.
    public var source: String
    /// The stage that failed.
    public var stage: DeadLetterStage
    /// The error, as the user should see it.
    public var error: String
    /// Whatever helps replay the failure (a JSONL line, a batch description), if anything.
    public var payload: String?
    /// The stream message that failed, for `consume`.
    public var stream: StreamPosition?

    /// Makes a dead letter.
    public init(runID: Int64? = nil, source: String, stage: DeadLetterStage, error: String, payload: String? = nil,
                stream: StreamPosition? = nil) {
        self.runID = runID
        self.source = source
        self.stage = stage
        self.error = error
        self.payload = payload
        self.stream = stream
    }
}

/// A recorded dead letter.
public struct DeadLetter: Sendable, Hashable {
    /// The dead letter's id.
    public var id: Int64
    /// The run that hit the failure, if any.
    public var runID: Int64?
    /// The source that failed.
    public var source: String
    /// The stage that failed.
    public var stage: DeadLetterStage
    /// The error.
    public var error: String
    /// The payload, if any.
    public var payload: String?
    /// When it was recorded.
    public var createdAt: Date
    /// When it was marked resolved, if it was.
    public var resolvedAt: Date?
    /// The stream message that failed, for `consume`.
    public var stream: StreamPosition?
}

/// Where a message is in a Kafka stream: its topic, partition and offset.
public struct StreamPosition: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    public var offset: Int64

    /// Makes a position.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
