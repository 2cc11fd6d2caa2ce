import ArgumentParser
import Logging
import Telemetry

/// Logs and metrics of a worker command (`ingest`, `reindex`, `load`): how a fleet of processes
/// is watched.
struct TelemetryOptions: ParsableArguments {
    @Option(help: "Log lines on stderr: text, or json (one object per line, for collectors; no progress lines then).")
    var logFormat: LogLineHandler.Format = .text
    @Option(help: "The lowest level logged: trace, debug, info, notice, warning, error or critical.")
    var logLevel: Logger.Level = .info
    @Option(help: "Serve Prometheus metrics on this port (GET /metrics) while the command runs.")
    var metricsPort: Int?
    @Option(help: "The address the metrics endpoint listens on (0.0.0.0 for every interface, as a pod's scraper needs).")
    var metricsHost: String = "127.0.0.1"

    func validate() throws {
        if let metricsPort, !(0...65_535).contains(metricsPort) { throw ValidationError("--metrics-port must be 0 to 65535") }
    }

    /// Progress lines are for terminals: not beside JSON logs.
    var showsProgress: Bool { logFormat == .text }

    /// Runs `body` with the metrics endpoint up when a port was given (and says where it is).
    func withMetrics<T>(_ command: String, _ body: () async throws -> T) async throws -> T {
        let endpoint: MetricsEndpoint?
        do {
            endpoint = try await Telemetry.bootstrapMetrics(host: metricsHost, port: metricsPort)
        } catch {
            printError("graphingest \(command): cannot serve metrics on \(metricsHost):\(metricsPort ?? 0): \(error)", level: .error)
            throw ExitCode(2)
        }
        if let endpoint {
            Logger(label: command).info("metrics at http://\(metricsHost):\(endpoint.port)/metrics",
                                        metadata: ["metrics_port": "\(endpoint.port)"])
        }
        do {
            let result = try await body()
            await endpoint?.close()
            return result
        } catch {
            await endpoint?.close()
            throw error
        }
    }
}

/// A command that carries ``TelemetryOptions``: `main` sets logging up from them. No conformance
/// is isolated to an actor (`SendableMetatype`), so `main` can cast the command it parsed to this
/// and still hand the same command to `run`.
protocol TelemetryCommand: SendableMetatype {
    var telemetry: TelemetryOptions { get }
}
