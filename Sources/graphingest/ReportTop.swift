import ArgumentParser

/// `report --top N`: how many items each list of the page holds, 1 to 1,000, read once as the
/// command line is parsed (any other value is a usage error naming the option).
struct ReportTop: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The largest `--top`: the network's relations grow with it (four per entity), so a bound
    /// keeps the page a page.
    static let maximum = 1_000

    let count: Int

    init(_ count: Int) {
        self.count = count
    }

    init?(argument: String) {
        guard let count = Int(argument), (1...Self.maximum).contains(count) else { return nil }
        self.count = count
    }

    var description: String { String(count) }
    var defaultValueDescription: String { description }
}
