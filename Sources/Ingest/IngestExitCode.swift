/// The process exit codes of DESIGN.md's CLI contract.
public enum IngestExitCode: Int32, Sendable {
    /// Everything succeeded.
    case success = 0
    /// Finished, but with dead letters or inconsistencies.
    case finishedWithProblems = 1
    /// A usage or configuration error, or a command that is not built yet.
    case usage = 2
    /// A server could not be reached.
    case serverUnreachable = 3
}
