extension Duration {
    /// The duration in seconds, for summaries and progress lines.
    public var seconds: Double { self / .seconds(1) }

    /// The duration in whole nanoseconds, for metrics.
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
