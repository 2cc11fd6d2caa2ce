/// How entity co-occurrence is counted: which windows, and which windows are too crowded to say
/// anything (the graph's `CO_OCCURS_WITH` edges are made from these counts).
///
/// Part of the extractor fingerprint: changing the window or the cap makes `reindex` count every
/// document again. The edge threshold (`--min-cooccurrence`) is not: it applies to corpus totals
/// the registry keeps, so changing it needs no extraction.
public struct CooccurrenceOptions: Sendable, Hashable {
    /// The text unit two entities must share to co-occur.
    public enum Window: String, Sendable, CaseIterable {
        /// An ICU sentence (the default).
        case sentence
        /// A chunk of the lexical graph (its own part, after any overlap, as for FROM_CHUNK).
        case chunk
    }

    /// The default cap on distinct entities in a window: 12. On the benchmark corpus (README,
    /// "Benchmarks") the sentences with more are 0.76% of those with two or more entities, yet
    /// they would add 35% of all pair occurrences: lists, tables and ambiguous names, whose
    /// pairs say nothing about each other.
    public static let defaultMaximumEntitiesPerWindow = 12

    /// The window.
    public var window: Window
    /// A window with more distinct entities than this adds no pairs; nil for no cap.
    public var maximumEntitiesPerWindow: Int?

    /// Options; sentence windows with the default cap unless told otherwise.
    public init(window: Window = .sentence, maximumEntitiesPerWindow: Int? = defaultMaximumEntitiesPerWindow) {
        self.window = window
        self.maximumEntitiesPerWindow = maximumEntitiesPerWindow
    }

    /// The version of the counting rules: bump it when the same mentions would give other pairs.
    public static let algorithmVersion = "cooccurrence-2"

    /// What decides a document's pair counts, for the extractor fingerprint.
    var fingerprint: String {
        [Self.algorithmVersion, window.rawValue, maximumEntitiesPerWindow.map(String.init) ?? "no cap"].joined(separator: " ")
    }
}

/// How often two entities of one document share a window: `(a, b)` are positions in the
/// document's entity list (``ExtractedDocument/entities``, or the mentions of a load), `a < b`.
public struct EntityPairCount: Sendable, Hashable {
    public var a: Int
    public var b: Int
    /// The windows that hold both (a window counts once however often it names them).
    public var count: Int

    public init(a: Int, b: Int, count: Int) {
        self.a = a
        self.b = b
        self.count = count
    }
}

/// What counting co-occurrence saw in some documents: for the run summary and the benchmark.
public struct CooccurrenceFigures: Sendable, Hashable, Codable {
    /// Windows examined (sentences or chunks).
    public var windows = 0
    /// Windows with at least two distinct entities and no more than the cap: those that add pairs.
    public var windowsWithPairs = 0
    /// Windows with more distinct entities than the cap: they add no pairs.
    public var windowsOverCap = 0
    /// Pairs counted: for each window that adds pairs, its number of entity pairs.
    public var pairsCounted = 0

    public init() {}

    /// Adds another set of figures.
    public mutating func add(_ other: CooccurrenceFigures) {
        windows += other.windows
        windowsWithPairs += other.windowsWithPairs
        windowsOverCap += other.windowsOverCap
        pairsCounted += other.pairsCounted
    }
}
