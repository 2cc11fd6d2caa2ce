import ArgumentParser

/// `check --part K/N`: this process's part of a check split between N processes.
struct CheckPart: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// This process's part, from 1.
    let part: Int
    /// How many parts the check is split into.
    let parts: Int

    /// The whole check, in one process.
    static let whole = CheckPart(part: 1, parts: 1)

    private init(part: Int, parts: Int) {
        self.part = part
        self.parts = parts
    }

    /// Reads `K/N`; nil (a usage error naming the option) unless both are integers with
    /// 1 <= K <= N.
    init?(argument: String) {
        let fields = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count == 2, let part = Int(fields[0]), let parts = Int(fields[1]), parts >= 1, (1...parts).contains(part) else {
            return nil
        }
        self.init(part: part, parts: parts)
    }

    var description: String { "\(part)/\(parts)" }
}
