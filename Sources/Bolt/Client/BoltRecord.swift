import PackStream

/// One record of a result: its values, and the keys they answer to.
public struct BoltRecord: Sendable, Hashable, RandomAccessCollection {
    /// The result's keys, in the order of `RETURN`.
    public let keys: [String]
    /// The values, one per key.
    public let values: [PackStreamValue]

    public init(keys: [String], values: [PackStreamValue]) {
        self.keys = keys
        self.values = values
    }

    public var startIndex: Int { values.startIndex }
    public var endIndex: Int { values.endIndex }
    public subscript(position: Int) -> PackStreamValue { values[position] }

    /// The value for a key, or nil when the result has no such key.
    public subscript(key: String) -> PackStreamValue? {
        keys.firstIndex(of: key).flatMap { $0 < values.count ? values[$0] : nil }
    }
}
