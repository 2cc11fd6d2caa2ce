import Logging
import Metrics
import Prometheus

/// Sets up the process's logging and metrics once, at start: swift-log with ``LogLineHandler``
/// and swift-metrics with a Prometheus registry, served by a ``MetricsEndpoint`` when a port is
/// given. The libraries only use the swift-log and swift-metrics APIs.
public enum Telemetry {
    /// Bootstraps logging (once per process).
    public static func bootstrapLogging(format: LogLineHandler.Format, level: Logger.Level) {
        LoggingSystem.bootstrap { label in LogLineHandler(label: label, format: format, level: level) }
    }

    /// Bootstraps metrics into a Prometheus registry (once per process) and serves it on
    /// `host:port` when a port is given.
    public static func bootstrapMetrics(host: String, port: Int?) async throws -> MetricsEndpoint? {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
            .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10), .seconds(30),
        ]
        MetricsSystem.bootstrap(factory)
        guard let port else { return nil }
        return try await MetricsEndpoint.start(host: host, port: port, registry: registry)
    }
}
