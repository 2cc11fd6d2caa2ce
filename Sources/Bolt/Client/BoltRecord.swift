import PackStream

/// One record of a result: its values, and the keys they answer to.
public struct BoltRecord: Sendable, Hashable, RandomAccessCollection {
    /// The result's keys, in the order of `RETURN`.
    public let keys: [String]
    /// The values, one per key.
    public let values: [PackStreamValue]

    /// Creates a record.
    public init(keys: [String], values: [PackStreamValue]) {
        self.keys = keys
        self.values = values
    }

    /// The start index.
    public var startIndex: Int { values.startIndex }
    /// The end index.
    public var endIndex: Int { values.endIndex }
    /// The value at a position.
    public subscript(position: Int) -> PackStreamValue { values[position] }

    /// The value for a key, or nil when the result has no such key.
    public subscript(key: String) -> PackStreamValue? {
        keys.firstIndex(of: key).flatMap { $0 < values.count ? values[$0] : nil }
    }
}
