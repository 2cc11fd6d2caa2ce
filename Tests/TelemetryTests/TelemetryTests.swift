import Foundation
import Logging
import Prometheus
import Telemetry
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Log lines and the metrics endpoint, without the rest of the program.
@Suite struct TelemetryTests {
    @Test func jsonLinesAreOneObjectWithTheEventsFields() throws {
        let line = LogLineHandler.line(time: Date(timeIntervalSince1970: 0), level: .warning, label: "ingest",
                                       message: "extract failed: \"bad\"\nbytes", metadata: ["source": "a.txt", "count": "3"], format: .json)
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
        #expect(object["level"] == "warning" && object["label"] == "ingest" && object["source"] == "a.txt" && object["count"] == "3")
        #expect(object["message"] == "extract failed: \"bad\"\nbytes")
        #expect(object["time"]?.hasPrefix("1970-01-01T00:00:00") == true)
    }

    @Test func textLinesKeepTheCommandLineStyle() {
        #expect(LogLineHandler.line(time: Date(), level: .info, label: "ingest", message: "waiting", metadata: [:], format: .text)
                == "graphingest ingest: waiting")
        #expect(LogLineHandler.line(time: Date(), level: .error, label: "ingest", message: "refusing", metadata: ["worker": "h:1:2"], format: .text)
                == "graphingest ingest: error: refusing (worker=h:1:2)")
    }

    @Test func theEndpointServesTheRegistryAndNothingElse() async throws {
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(descriptor: MetricNameDescriptor(namespace: "graphingest", metricName: "test", unitName: "total", helpText: "a test counter")).increment(by: Int64(7))
        let endpoint = try await MetricsEndpoint.start(host: "127.0.0.1", port: 0, registry: registry)
        let port = endpoint.port
        let (body, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: body, as: UTF8.self).contains("graphingest_test_total 7"))
        let (_, missing) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/other")!)
        #expect((missing as? HTTPURLResponse)?.statusCode == 404)
        await endpoint.close()
    }
}
