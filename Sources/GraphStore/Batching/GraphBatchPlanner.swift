/// Splits rows into write batches bounded by a row count and an estimated encoded size.
///
/// Rows are sorted by their lock key first, so that concurrent transactions take node locks in
/// the same order and do not deadlock on shared entities.
public struct GraphBatchPlanner: Sendable {
    /// The most rows in one batch (default 5,000).
    public var maximumRows: Int
    /// The most estimated bytes in one batch (default 8 MB).
    public var maximumBytes: Int

    public init(maximumRows: Int = 5_000, maximumBytes: Int = 8 << 20) {
        precondition(maximumRows > 0 && maximumBytes > 0, "batch bounds must be positive")
        self.maximumRows = maximumRows
        self.maximumBytes = maximumBytes
    }

    /// Sorts `rows` by `lockKey` and cuts them into batches; a row larger than `maximumBytes`
    /// travels alone.
    public func batches<Row, Key: Comparable>(
        of rows: [Row],
        lockKey: (Row) -> Key,
        estimatedBytes: (Row) -> Int
    ) -> [[Row]] {
        let sorted = rows.sorted { lockKey($0) < lockKey($1) }
        var batches: [[Row]] = []
        var current: [Row] = []
        var currentBytes = 0
        for row in sorted {
            let size = estimatedBytes(row)
            if !current.isEmpty && (current.count >= maximumRows || currentBytes + size > maximumBytes) {
                batches.append(current)
                current = []
                currentBytes = 0
            }
            current.append(row)
            currentBytes += size
        }
        if !current.isEmpty {
            batches.append(current)
        }
        return batches
    }
}

extension GraphDocumentRow {
    /// A generous estimate of the row's PackStream size, for batch bounds.
    package var estimatedBytes: Int { 64 + source.utf8.count + title.utf8.count + sha256.utf8.count }
}

extension GraphEntityRow {
    /// A generous estimate of the row's PackStream size, for batch bounds.
    package var estimatedBytes: Int { 48 + key.utf8.count + name.utf8.count + type.utf8.count }
}

extension GraphMentionRow {
    /// A generous estimate of the row's PackStream size, for batch bounds.
    package var estimatedBytes: Int { 40 + 9 * offsets.count }
}

extension GraphChunkRow {
    /// A generous estimate of the row's PackStream size, for batch bounds (its NEXT_CHUNK row
    /// and embedding included).
    package var estimatedBytes: Int { 96 + 2 * id.utf8.count + text.utf8.count + sha256.utf8.count + 9 * (embedding?.count ?? 0) }
}

extension GraphChunkMentionRow {
    /// A generous estimate of the row's PackStream size, for batch bounds.
    package var estimatedBytes: Int { 40 + chunkID.utf8.count + 9 * offsets.count }
}
