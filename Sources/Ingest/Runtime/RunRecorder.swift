import Registry

/// Records a command run in the registry: its row is opened first, with the command line (any
/// password taken out), and gets the run's figures when it finishes. One place for every job,
/// so lineage looks the same whatever the command.
package struct RunRecorder: Sendable {
    let registry: RegistryStore

    package init(registry: RegistryStore) {
        self.registry = registry
    }

    /// Opens the run's row and returns its id.
    package func start(_ command: String, arguments: [String]) async throws -> Int64 {
        try await registry.startRun(command: command, arguments: arguments.map { CredentialRedaction.redact($0) })
    }

    /// Records the run's figures (its summary's keys and values) and its end.
    package func finish(_ runID: Int64, summary: some Encodable) async throws {
        try await registry.finishRun(runID, figures: try RegistryJSON(encoding: summary).objectEntries)
    }

    /// Runs `body` as a recorded run: opened first, finished with the summary it returns.
    package func recording<Summary: Encodable & Sendable>(
        _ command: String, arguments: [String], _ body: (Int64) async throws -> Summary
    ) async throws -> Summary {
        let runID = try await start(command, arguments: arguments)
        let summary = try await body(runID)
        try await finish(runID, summary: summary)
        return summary
    }
}
