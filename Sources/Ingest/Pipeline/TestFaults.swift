/// Faults a test injects into a run, to reach a window on purpose rather than by timing. They
/// come in through ``PipelineConfiguration/faults`` (the CLI's hidden `--test-...` options), never
/// from the process environment; a run without them has none.
public struct TestFaults: Sendable, Equatable {
    /// Each extraction task sleeps this long after a claim, as a very slow extraction would: the
    /// lease and liveness tests' worker that holds documents.
    public var holdAfterClaim: Duration?
    /// The process kills itself (SIGKILL, as `kill -9`) right after its N-th CO_OCCURS_WITH write
    /// reached the graph and before the registry recorded it: the crash test's window.
    public var killAfterEdgeWrites: Int?
    /// The process kills itself (SIGKILL) after the community step wrote the graph and before
    /// the registry recorded it: the community crash test's window.
    public var killAfterCommunityGraphWrite = false

    /// Faults; none by default.
    public init(holdAfterClaim: Duration? = nil, killAfterEdgeWrites: Int? = nil, killAfterCommunityGraphWrite: Bool = false) {
        self.holdAfterClaim = holdAfterClaim
        self.killAfterEdgeWrites = killAfterEdgeWrites
        self.killAfterCommunityGraphWrite = killAfterCommunityGraphWrite
    }
}
