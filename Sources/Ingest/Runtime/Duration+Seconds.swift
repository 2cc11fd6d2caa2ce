extension Duration {
    /// The duration in seconds, for summaries and progress lines.
    public var seconds: Double { self / .seconds(1) }
}
