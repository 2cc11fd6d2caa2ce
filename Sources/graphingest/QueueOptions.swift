import ArgumentParser
import Ingest

/// How long this process's claims on the registry's queue last: every queue worker takes it
/// (`ingest`, `reindex`, `consume`).
struct LeaseOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How long a claimed document stays with this process without a renewal, such as 30s, 2m, 1h, 1500ms or 90 (seconds).",
        discussion: "Leases are renewed every third of this while the process runs; a process that dies leaves leases that expire after it, and other processes take its documents over.",
        valueName: "duration"))
    var lease = DurationArgument(PipelineConfiguration.defaultLease, description: "2m")

    func validate() throws {
        guard lease.duration >= .seconds(1) else { throw ValidationError("--lease must be at least 1s") }
    }

    /// `configuration` with this lease.
    func applied(to configuration: PipelineConfiguration) -> PipelineConfiguration {
        var configuration = configuration
        configuration.lease = lease.duration
        return configuration
    }
}

/// How `ingest` and `reindex` share a corpus with other processes through the registry's queue.
/// `consume` takes only the lease: it always waits for documents another process holds, since
/// it commits a round's offsets once the round is loaded, and a document left to a holder that
/// loads an older version would lose the newer one.
struct QueueOptions: ParsableArguments {
    @OptionGroup var lease: LeaseOptions
    @Flag(help: "Exit as soon as nothing is left to claim, without waiting for documents other processes hold.")
    var noWait = false

    /// `configuration` with this lease and waiting.
    func applied(to configuration: PipelineConfiguration) -> PipelineConfiguration {
        var configuration = lease.applied(to: configuration)
        configuration.waitsForOthers = !noWait
        return configuration
    }
}
