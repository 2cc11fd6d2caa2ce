import Bolt
import Extraction
import Registry

/// Turns the error that ended a command into DESIGN.md's exit code and a message that names the
/// server and what it answered.
public enum FailureReport {
    /// The exit code for an error that ended a command.
    public static func exitCode(for error: any Error) -> IngestExitCode {
        switch error {
        case let error as IngestError:
            return error.code == .unreachable ? .serverUnreachable : .usage
        case let error as BoltError:
            if error.isUnreachable { return .serverUnreachable }
            if error.code == .authentication || error.code == .invalidConfiguration || error.code == .unsupportedVersion { return .usage }
            return .finishedWithProblems
        case let error as RegistryError:
            if error.code == .connectionFailed || error.code == .connectionLost { return .serverUnreachable }
            return .finishedWithProblems
        case is ExtractionError:
            return .usage
        default:
            return .finishedWithProblems
        }
    }

    /// The message for an error: the server's code and message where there is one.
    public static func describe(_ error: any Error) -> String {
        switch error {
        case let error as BoltError:
            var text = error.description
            if let message = error.serverMessage, !text.contains(message) { text += ": \(message)" }
            return text
        default:
            return String(describing: error)
        }
    }
}
