import Logging
import Registry

/// Where a run's failures go the moment they happen: a line on stderr, the run's tally (summary,
/// progress, metrics), and the registry's dead letters. Nothing is held until the end, so memory
/// does not grow with the number of failures and a crash loses none already reported.
package struct DeadLetterSink: Sendable {
    let registry: any CommitRegistry
    let runID: Int64?
    /// The command, at the start of each stderr line.
    let label: String
    let tally: RunTally

    package init(registry: any CommitRegistry, runID: Int64?, label: String, tally: RunTally) {
        self.registry = registry
        self.runID = runID
        self.label = label
        self.tally = tally
    }

    /// Reports and records `failures` as dead letters of this run.
    package func record(_ failures: [DocumentFailure]) async throws {
        guard !failures.isEmpty else { return }
        // Reasons quote servers and files; a password must not travel with them.
        let failures = failures.map { failure in
            var redacted = failure
            redacted.reason = CredentialRedaction.redact(failure.reason)
            return redacted
        }
        let logger = Logger(label: label)
        for failure in failures {
            logger.warning("\(failure.stage.rawValue) failed: \(failure.reason)", metadata: ["source": "\(failure.source)"])
        }
        tally.deadLetters(failures.count)
        _ = try await registry.addDeadLetters(failures.map {
            DeadLetterInput(runID: runID, source: $0.source, stage: $0.stage, error: $0.reason, payload: $0.payload)
        })
    }
}
