/// A distribution cut into at most a fixed number of bins of equal integer width, as the page's
/// charts and the tables beneath them show it. Made from value counts (how many chunks have
/// each size), so its size does not grow with the corpus.
public struct ReportHistogram: Sendable, Hashable, Codable {
    /// Values in `lower...upper` and how many items had one.
    public struct Bin: Sendable, Hashable, Codable {
        public var lower: Int
        public var upper: Int
        public var count: Int

        public init(lower: Int, upper: Int, count: Int) {
            self.lower = lower
            self.upper = upper
            self.count = count
        }
    }

    public var bins: [Bin]
    /// Items counted, and the sum of their values (for the mean).
    public var items: Int
    public var total: Int

    public init(bins: [Bin] = [], items: Int = 0, total: Int = 0) {
        self.bins = bins
        self.items = items
        self.total = total
    }

    /// Bins `frequencies` (value -> how many items had it; values >= 0) into at most
    /// `binCount` bins of one width, from the smallest value to the largest; bins in between
    /// that hold nothing are kept, so the chart's x axis stays linear.
    public init(frequencies: [Int: Int], binCount: Int = 20) {
        let counted = frequencies.filter { $0.value > 0 }
        guard let low = counted.keys.min(), let high = counted.keys.max() else {
            self.init()
            return
        }
        let bins = max(1, binCount)
        let width = max(1, (high - low + bins) / bins)
        var result = stride(from: low, through: high, by: width).map { Bin(lower: $0, upper: $0 + width - 1, count: 0) }
        for (value, count) in counted {
            result[(value - low) / width].count += count
        }
        self.init(bins: result, items: counted.values.reduce(0, +), total: counted.reduce(0) { $0 + $1.key * $1.value })
    }

    /// The mean value, nil when empty.
    public var mean: Double? {
        items > 0 ? Double(total) / Double(items) : nil
    }
}
