import Bolt
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import IntegrationSupport
import NIOCore
import NIOPosix
import PackStream
import Testing


/// bolt+s and bolt+ssc through a TLS-terminating socat in front of ArcadeDB's Bolt port, with a
/// throwaway self-signed certificate made here. Needs `socat` and `openssl` (Debian packages that
/// scripts/bootstrap installs): when they are missing the tests fail, they do not skip.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized)
struct BoltTLSIntegrationTests {
    static func run(_ tool: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(tool) \(arguments.first ?? "") failed")
    }

    /// Starts the proxy, runs `body` with its port, stops the proxy.
    ///
    /// socat binds port 0 and logs the port it got: a port picked here and handed over would be
    /// free only until socat binds it, and on a machine shared with other test runs that window
    /// (a process start under load) was enough for another process to take it; socat then exited
    /// unseen and the test met "connection refused".
    static func withTLSProxy(_ body: (Int, IntegrationEnvironment.BoltServer) async throws -> Void) async throws {
        let server = try IntegrationEnvironment.boltServer()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bolt-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        let log = directory.appendingPathComponent("socat.log").path
        try run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        proxy.arguments = [
            // -d -d logs "listening on AF=2 127.0.0.1:PORT" once it listens; to a file, since a
            // pipe nobody drains could block socat's forked children.
            "-d", "-d", "-lf", log,
            "OPENSSL-LISTEN:0,bind=127.0.0.1,fork,cert=\(certificate),key=\(key),verify=0",
            "TCP:\(server.host):\(server.port)",
        ]
        // Nothing of the test runner's: socat's children must not hold its stdout open.
        proxy.standardInput = FileHandle.nullDevice
        proxy.standardOutput = FileHandle.nullDevice
        proxy.standardError = FileHandle.nullDevice
        try proxy.run()
        defer {
            // SIGKILL: a child of the test process inherits its blocked signals, SIGTERM included.
            kill(proxy.processIdentifier, SIGKILL)
            proxy.waitUntilExit()
        }
        let port = try await listeningPort(of: proxy, log: log)
        // It listens; one connection through it proves it accepts (generous: the machine may be busy).
        let deadline = ContinuousClock.now + .seconds(30)
        while (try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get().close()) == nil {
            try #require(ContinuousClock.now < deadline, "socat listens on \(port) but refuses connections: \(logText(log))")
            try await Task.sleep(for: .milliseconds(100))
        }
        try await body(port, server)
    }

    /// The port socat logged, waiting for it; fails with socat's log when socat exits or is silent.
    static func listeningPort(of proxy: Process, log: String) async throws -> Int {
        let marker = "listening on AF=2 127.0.0.1:"
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let text = logText(log)
            if let range = text.range(of: marker), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return port
            }
            try #require(proxy.isRunning, "socat exited (status \(proxy.terminationStatus)): \(text)")
            try #require(ContinuousClock.now < deadline, "socat did not listen within 30 s: \(text)")
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func logText(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    @Test func selfSignedAcceptedWithSSCAndRejectedWithS() async throws {
        try await Self.withTLSProxy { port, server in
            let auth = BoltAuth.basic(user: server.user, password: server.password)
            let accepting = try BoltClient(uri: "bolt+ssc://localhost:\(port)", auth: auth)
            let records = try await accepting.withSession(database: server.database) { session in
                try await session.run("RETURN 'over TLS' AS how").collect()
            }
            #expect(records.first?["how"] == "over TLS")
            await accepting.shutdown()

            let verifying = try BoltClient(uri: "bolt+s://localhost:\(port)", auth: auth)
            await #expect {
                try await verifying.verifyConnectivity()
            } throws: { error in
                guard let error = error as? BoltError else { return false }
                return error.code == .tls && error.description.contains("localhost:\(port)")
                    && error.description.contains("TLS handshake failed: certificate verify failed")
            }
            await verifying.shutdown()
        }
    }
}
