import ArgumentParser
import Ingest

/// How `ingest` and `reindex` share a corpus with other processes through the registry's queue.
struct QueueOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How long a claimed document stays with this process without a renewal, such as 30s, 2m, 1h, 1500ms or 90 (seconds).",
        discussion: "Leases are renewed every third of this while the process runs; a process that dies leaves leases that expire after it, and other processes take its documents over.",
        valueName: "duration"))
    var lease = DurationArgument(PipelineConfiguration.defaultLease, description: "2m")
    @Flag(help: "Exit as soon as nothing is left to claim, without waiting for documents other processes hold.")
    var noWait = false

    func validate() throws {
        guard lease.duration >= .seconds(1) else { throw ValidationError("--lease must be at least 1s") }
    }

    /// `configuration` with this lease and waiting.
    func applied(to configuration: PipelineConfiguration) -> PipelineConfiguration {
        var configuration = configuration
        configuration.lease = lease.duration
        configuration.waitsForOthers = !noWait
        return configuration
    }
}
