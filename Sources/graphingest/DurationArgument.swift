import ArgumentParser

/// A duration as a command line writes it: `1500ms`, `30s`, `2m`, `1h`, or plain seconds (`90`,
/// `0.5`).
struct DurationArgument: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The duration, to the millisecond.
    let duration: Duration
    /// The duration as it was written: help shows a default this way.
    let description: String

    init(_ duration: Duration, description: String) {
        self.duration = duration
        self.description = description
    }

    /// Reads a duration; nil (a usage error naming the option) for anything but a finite number
    /// of at least 0 with an optional unit, or more milliseconds than an `Int64` holds.
    init?(argument: String) {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        let unit = units.first { argument.hasSuffix($0.suffix) }
        guard let value = Double(argument.dropLast(unit?.suffix.count ?? 0)), value >= 0 else { return nil }
        let milliseconds = (value * (unit?.seconds ?? 1) * 1000).rounded()
        guard milliseconds < Double(Int64.max) else { return nil }
        self.init(.milliseconds(Int64(milliseconds)), description: argument)
    }
}
