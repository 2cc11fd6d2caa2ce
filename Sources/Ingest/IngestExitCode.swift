/// The process exit codes of docs/design.md's CLI contract.
public enum IngestExitCode: Int32, Sendable {
    /// Everything succeeded.
    case success = 0
    /// Finished, but with dead letters or inconsistencies.
    case finishedWithProblems = 1
    /// A usage or configuration error (argument errors too).
    case usage = 2
    /// A server could not be reached, or was lost mid-run.
    case serverUnreachable = 3
    /// The run stopped before finishing for another reason, which its message names; a rerun
    /// resumes.
    case stopped = 4
}
