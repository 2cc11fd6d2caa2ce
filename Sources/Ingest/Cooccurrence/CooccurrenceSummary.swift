import Extraction

/// What a run did to entity co-occurrence: the windows it counted in, the pairs it counted, and
/// the CO_OCCURS_WITH edges it wrote (part of the summary `--json` prints and the run records).
public struct CooccurrenceSummary: Sendable, Codable, Equatable {
    /// Windows of the extracted documents with two or more entities (documents with fewer are
    /// not cut into windows).
    public var windows = 0
    /// Windows that added pairs: two or more distinct entities, no more than the cap.
    public var windowsWithPairs = 0
    /// Windows over `--max-entities-per-window`: they added no pairs.
    public var windowsOverCap = 0
    /// Pair occurrences counted (each window's number of entity pairs, summed).
    public var pairsCounted = 0
    /// Edges created, updated and deleted in the graph.
    public var edgesCreated = 0
    public var edgesUpdated = 0
    public var edgesDeleted = 0

    public init() {}

    enum CodingKeys: String, CodingKey {
        case windows, windowsWithPairs = "windows_with_pairs", windowsOverCap = "windows_over_cap", pairsCounted = "pairs_counted"
        case edgesCreated = "edges_created", edgesUpdated = "edges_updated", edgesDeleted = "edges_deleted"
    }

    mutating func add(_ figures: CooccurrenceFigures) {
        windows += figures.windows
        windowsWithPairs += figures.windowsWithPairs
        windowsOverCap += figures.windowsOverCap
        pairsCounted += figures.pairsCounted
    }

    mutating func add(_ writes: CooccurrenceSync.Writes) {
        edgesCreated += writes.created
        edgesUpdated += writes.updated
        edgesDeleted += writes.deleted
    }

    /// A clause for the human summary line.
    var text: String {
        var text = "CO_OCCURS_WITH \(edgesCreated) created, \(edgesUpdated) updated, \(edgesDeleted) deleted from \(pairsCounted) pairs counted"
        if windowsOverCap > 0 { text += " (\(windowsOverCap) windows over the entity cap added none)" }
        return text
    }
}
