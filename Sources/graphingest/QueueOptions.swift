import ArgumentParser
import Ingest

/// How `ingest` and `reindex` share a corpus with other processes through the registry's queue.
struct QueueOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "How long a claimed document stays with this process without a renewal, such as 30s, 2m or 1h.",
        discussion: "Leases are renewed every third of this while the process runs; a process that dies leaves leases that expire after it, and other processes take its documents over."))
    var lease: String = "2m"
    @Flag(help: "Exit as soon as nothing is left to claim, without waiting for documents other processes hold.")
    var noWait = false

    func validate() throws {
        guard let duration = Self.parseDuration(lease) else {
            throw ValidationError("--lease must be a duration such as 30s, 2m or 1h (got \(lease))")
        }
        guard duration >= .seconds(1) else { throw ValidationError("--lease must be at least 1s") }
    }

    /// `configuration` with this lease and waiting.
    func applied(to configuration: PipelineConfiguration) -> PipelineConfiguration {
        var configuration = configuration
        configuration.lease = Self.parseDuration(lease) ?? PipelineConfiguration.defaultLease
        configuration.waitsForOthers = !noWait
        return configuration
    }

    /// "500ms", "30s", "2m", "1h", or plain seconds ("90").
    static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for unit in units where text.hasSuffix(unit.suffix) {
            guard let value = Double(text.dropLast(unit.suffix.count)), value.isFinite, value >= 0 else { return nil }
            return .milliseconds(Int64((value * unit.seconds * 1000).rounded()))
        }
        guard let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return .milliseconds(Int64((value * 1000).rounded()))
    }
}
