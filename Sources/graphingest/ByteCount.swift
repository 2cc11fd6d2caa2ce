import ArgumentParser
import Foundation

/// A size in bytes as a command line writes it: plain bytes (`1048576`) or with a unit (`500KB`,
/// `64MB`, `1G`; K, M and G count in 1024s, with or without B, in either case).
struct ByteCount: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The size in bytes.
    let bytes: Int
    /// The size as it was written: help shows a default this way.
    let description: String

    init(bytes: Int, description: String) {
        self.bytes = bytes
        self.description = description
    }

    /// Reads a size; nil (a usage error naming the option) for anything but a whole number of
    /// at least 0 with an optional unit, or a size too large for an `Int`.
    init?(argument: String) {
        let units: [(suffix: String, factor: Int)] = [
            ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10), ("B", 1),
        ]
        var number = argument.uppercased().trimmingCharacters(in: .whitespaces)
        var factor = 1
        if let unit = units.first(where: { number.hasSuffix($0.suffix) }) {
            number = number.dropLast(unit.suffix.count).trimmingCharacters(in: .whitespaces)
            factor = unit.factor
        }
        guard let value = Int(number), value >= 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        self.init(bytes: bytes, description: argument)
    }
}
