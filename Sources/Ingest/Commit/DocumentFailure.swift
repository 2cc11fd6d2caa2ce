public import Registry

/// A document (or record, or line) that could not be processed, and why.
public struct DocumentFailure: Sendable, Hashable {
    public var source: String
    public var stage: DeadLetterStage
    /// The reason, naming the file, line or batch; no document text.
    public var reason: String
    /// What helps replay it (a JSONL line), if anything.
    public var payload: String?

    public init(source: String, stage: DeadLetterStage, reason: String, payload: String? = nil) {
        self.source = source
        self.stage = stage
        self.reason = reason
        self.payload = payload
    }
}
