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

    /// A free loopback port (bound, then released for socat).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    /// Starts the proxy, runs `body` with its port, stops the proxy.
    static func withTLSProxy(_ body: (Int, IntegrationEnvironment.BoltServer) async throws -> Void) async throws {
        let server = try IntegrationEnvironment.boltServer()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bolt-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let key = directory.appendingPathComponent("key.pem").path
        let certificate = directory.appendingPathComponent("cert.pem").path
        try run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        let port = try await freePort()
        let proxy = Process()
        proxy.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
        proxy.arguments = [
            "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=\(certificate),key=\(key),verify=0",
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
        // Wait until socat listens.
        for _ in 0..<50 {
            if (try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get().close()) != nil {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        try await body(port, server)
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
            }
            await verifying.shutdown()
        }
    }
}
