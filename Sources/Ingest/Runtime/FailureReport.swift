import Extraction
import GraphStore
import Kafka
import Registry

/// Turns the error that ended a command into docs/design.md's exit code and a message that names the
/// server and what it answered.
public enum FailureReport {
    /// The exit code for an error that ended a command: 2 for usage and configuration, 3 for a
    /// server that cannot be reached (or was lost), 4 for a run that stopped for another reason
    /// (a rerun resumes). Never 1: that says a run finished, with dead letters.
    public static func exitCode(for error: any Error) -> IngestExitCode {
        if let error = error as? IngestError {
            return error.code == .unreachable ? .serverUnreachable : .usage
        }
        if let error = GraphStoreError.from(error) {
            if error.code == .unreachable { return .serverUnreachable }
            if error.code == .configuration { return .usage }
            return .stopped
        }
        if let error = error as? RegistryError {
            if error.code == .connectionFailed || error.code == .connectionLost { return .serverUnreachable }
            return .stopped
        }
        if error is ExtractionError { return .usage }
        if let error = error as? KafkaError {
            if error.code == .unreachable { return .serverUnreachable }
            if error.code == .configuration || error.code == .unknownTopic { return .usage }
            return .stopped
        }
        return .stopped
    }

    /// The message for an error: the server's code and message where there is one, with any
    /// password taken out.
    public static func describe(_ error: any Error) -> String {
        let text = GraphStoreError.from(error)?.message ?? String(describing: error)
        return CredentialRedaction.redact(text)
    }
}
