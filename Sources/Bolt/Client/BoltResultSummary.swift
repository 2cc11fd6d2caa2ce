import PackStream

/// What a query changed, from the `stats` of its final SUCCESS.
public struct BoltCounters: Sendable, Hashable {
    /// How many nodes were created.
    public var nodesCreated = 0
    /// How many nodes were deleted.
    public var nodesDeleted = 0
    /// How many relationships were created.
    public var relationshipsCreated = 0
    /// How many relationships were deleted.
    public var relationshipsDeleted = 0
    /// How many properties were set.
    public var propertiesSet = 0
    /// How many labels were added.
    public var labelsAdded = 0
    /// How many labels were removed.
    public var labelsRemoved = 0
    /// How many indexes were added.
    public var indexesAdded = 0
    /// How many indexes were removed.
    public var indexesRemoved = 0
    /// How many constraints were added.
    public var constraintsAdded = 0
    /// How many constraints were removed.
    public var constraintsRemoved = 0

    /// No changes.
    public init() {}

    init(stats: [String: PackStreamValue]) {
        func count(_ key: String) -> Int { Int(stats[key]?.intValue ?? 0) }
        nodesCreated = count("nodes-created")
        nodesDeleted = count("nodes-deleted")
        relationshipsCreated = count("relationships-created")
        relationshipsDeleted = count("relationships-deleted")
        propertiesSet = count("properties-set")
        labelsAdded = count("labels-added")
        labelsRemoved = count("labels-removed")
        indexesAdded = count("indexes-added")
        indexesRemoved = count("indexes-removed")
        constraintsAdded = count("constraints-added")
        constraintsRemoved = count("constraints-removed")
    }

    /// Whether anything changed.
    public var containsUpdates: Bool { self != BoltCounters() }
}

/// The summary of a finished query: counters, the bookmark, the query type and timings.
public struct BoltResultSummary: Sendable {
    /// What the query changed.
    public var counters: BoltCounters
    /// The bookmark of an auto-commit query (an explicit transaction's comes with COMMIT).
    public var bookmark: String?
    /// `r`, `w`, `rw` or `s`.
    public var queryType: String?
    /// The database the query ran in.
    public var database: String?
    /// Milliseconds until the first record was available (`t_first`).
    public var resultAvailableAfter: Int64?
    /// Milliseconds to consume the records (`t_last`).
    public var resultConsumedAfter: Int64?
    /// The records that came back (kept or only counted).
    public var recordCount: Int
    /// The final SUCCESS metadata as sent.
    public var metadata: [String: PackStreamValue]

    init(run: [String: PackStreamValue], final metadata: [String: PackStreamValue], recordCount: Int) {
        self.counters = BoltCounters(stats: metadata["stats"]?.mapValue ?? [:])
        self.bookmark = metadata["bookmark"]?.stringValue
        self.queryType = metadata["type"]?.stringValue
        self.database = metadata["db"]?.stringValue
        self.resultAvailableAfter = run["t_first"]?.intValue
        self.resultConsumedAfter = metadata["t_last"]?.intValue
        self.recordCount = recordCount
        self.metadata = metadata
    }
}
