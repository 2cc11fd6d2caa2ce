/// A Swift type that stands for one structure tag: it reads itself from the structure's fields
/// and gives them back for encoding.
public protocol PackStreamStructureType: Sendable, Hashable, CustomStringConvertible {
    /// The structure tag this type decodes from and encodes to.
    static var tag: UInt8 { get }
    /// Reads the type from a structure's fields; nil when they do not have the spec's shape.
    init?(fields: [PackStreamValue])
    /// The fields to encode, in the spec's order.
    var fields: [PackStreamValue] { get }
}

extension Array where Element == PackStreamValue {
    @usableFromInline
    func integer(at index: Int) -> Int64? {
        index < count ? self[index].intValue : nil
    }

    @usableFromInline
    func string(at index: Int) -> String? {
        index < count ? self[index].stringValue : nil
    }

    @usableFromInline
    func float(at index: Int) -> Double? {
        guard index < count, case .float(let value) = self[index] else { return nil }
        return value
    }
}
