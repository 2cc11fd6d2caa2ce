import Foundation
import IntegrationSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Crash safety: `graphingest ingest` killed with SIGKILL at several points (also while it
/// writes chunks), or cut off from the Bolt server in the middle of a batch, then run again, ends
/// with the graph and the registry of an uninterrupted run and no duplicates.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized, .timeLimit(.minutes(3)))
struct IngestCrashIntegrationTests {
    typealias EndToEnd = IngestEndToEndIntegrationTests

    /// Writes `count` documents that mention gazetteer entities in varying combinations.
    static func makeCorpus(_ count: Int) throws -> URL {
        let names = ["Paris", "Berlin", "London", "Tokyo", "東京", "Beijing", "Bangkok", "New York City", "İstanbul", "Moscow",
                     "Vienna", "München", "Rome", "Cairo", "France", "Germany", "Japan", "UNESCO", "CERN", "Albert Einstein",
                     "Marie Curie", "Seine", "Thames", "Danube", "Chao Phraya", "World Health Organization"]
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-crash-\(UUID().uuidString)")
        for index in 0..<count {
            let sub = folder.appendingPathComponent("part\(index % 7)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            var text = "Document \(index).\n"
            for sentence in 0..<40 {
                let a = names[(index * 7 + sentence) % names.count], b = names[(index + sentence * 3) % names.count]
                text += "In report \(sentence) the delegation travelled from \(a) to \(b), writing to desk\(index % 13)@example.org.\n"
            }
            try text.write(to: sub.appendingPathComponent("doc\(index).txt"), atomically: true, encoding: .utf8)
        }
        return folder
    }

    static func startIngest(_ corpus: String, _ servers: ScratchServers, environment: [String: String]? = nil) throws -> Process {
        try Shell.start(IntegrationEnvironment.graphingest, [
            "ingest", corpus, "--gazetteer", EndToEnd.gazetteer, "--rules", EndToEnd.rules, "--quiet", "--json",
            "--documents-per-commit", "10", "--workers", "2",
        ], environment: environment ?? servers.environment)
    }

    @Test func killedAtSeveralPointsThenRerunEqualsAnUninterruptedRun() throws {
        let corpus = try Self.makeCorpus(600)
        defer { try? FileManager.default.removeItem(at: corpus) }
        let expected = try EndToEnd.extracted(corpus.path)
        let servers = try ScratchServers.make("kill")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)

        var killed = 0
        for delay in [0.15, 0.3, 0.6] {
            let process = try Self.startIngest(corpus.path, servers)
            Thread.sleep(forTimeInterval: delay)
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            _ = Shell.finish(process)
        }
        #expect(killed > 0, "no run was still going when killed: make the corpus larger")
        let final = try EndToEnd.ingest(corpus.path, servers)
        #expect(final.status == 0, "\(final.stderr)")
        let summary = try EndToEnd.summary(final)
        #expect((summary["loaded"] as? Int ?? 0) + (summary["unchanged"] as? Int ?? 0) == 600)
        #expect(try servers.graphMentions() == expected)
        #expect(try servers.registryMentions() == expected)
        let counts = try EndToEnd.counts(servers)
        #expect(counts.documents == 600 && counts.distinctDocuments == 600)
        #expect(counts.relationships == expected.values.reduce(0) { $0 + $1.count })
        // Every node and relationship, chunks (about three a document) and FROM_CHUNK included,
        // and the registry: as one uninterrupted run leaves them.
        let recovered = try ReindexEndToEndIntegrationTests.GraphDump(servers)
        #expect(recovered.chunks.count > 1_200)
        ReindexEndToEndIntegrationTests.expectSame(recovered, try ReindexEndToEndIntegrationTests.freshIngest(corpus.path, label: "killfresh"))
    }

    @Test func boltServerLostMidRunGivesAClearErrorAndTheRerunCompletes() throws {
        let corpus = try Self.makeCorpus(200)
        defer { try? FileManager.default.removeItem(at: corpus) }
        let expected = try EndToEnd.extracted(corpus.path)
        let servers = try ScratchServers.make("cut")
        defer { servers.drop() }
        try EndToEnd.initialize(servers)

        // A proxy in front of ArcadeDB that cuts every connection after 150 kB from the client:
        // the server is gone in the middle of a batch, as far as graphingest can tell.
        let proxy = try BoltCuttingProxy(target: servers.bolt, cutAfterBytes: 150_000)
        defer { proxy.stop() }
        var environment = servers.environment
        environment["GRAPHINGEST_BOLT_URI"] = "bolt://127.0.0.1:\(proxy.port)"
        let cut = Shell.finish(try Self.startIngest(corpus.path, servers, environment: environment))
        #expect(cut.status == 3, "exit 3 for a lost server; stderr: \(cut.stderr)")
        #expect(cut.stderr.contains("127.0.0.1:\(proxy.port)"), "the message names the server: \(cut.stderr)")
        let loadedBefore = Int(try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'loaded'")[0][0]) ?? 0
        #expect(loadedBefore < 200)

        let rerun = try EndToEnd.ingest(corpus.path, servers)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(try servers.graphMentions() == expected)
        #expect(try servers.registryMentions() == expected)
        let counts = try EndToEnd.counts(servers)
        #expect(counts.documents == 200 && counts.distinctDocuments == 200)
    }
}

/// A TCP proxy (a small Python program from the test's venv) that forwards to the Bolt server and
/// closes every connection once the client has sent `cutAfterBytes` in all.
final class BoltCuttingProxy {
    let port: Int
    private let process: Process

    init(target: IntegrationEnvironment.BoltServer, cutAfterBytes: Int) throws {
        let script = """
            import asyncio, sys
            target_host, target_port, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
            sent = 0
            writers = []
            async def pipe(reader, writer, count):
                global sent
                try:
                    while True:
                        data = await reader.read(65536)
                        if not data:
                            break
                        if count:
                            sent += len(data)
                            if sent > limit:
                                for w in writers:
                                    w.transport.abort()
                                return
                        writer.write(data)
                        await writer.drain()
                except Exception:
                    pass
                finally:
                    writer.transport.abort()
            async def handle(client_reader, client_writer):
                server_reader, server_writer = await asyncio.open_connection(target_host, target_port)
                writers.extend([client_writer, server_writer])
                await asyncio.gather(pipe(client_reader, server_writer, True), pipe(server_reader, client_writer, False))
            async def main():
                server = await asyncio.start_server(handle, "127.0.0.1", 0)
                print(server.sockets[0].getsockname()[1], flush=True)
                await server.serve_forever()
            asyncio.run(main())
            """
        let started = try Shell.start(IntegrationEnvironment.python, ["-c", script, target.host, String(target.port), String(cutAfterBytes)])
        let handle = (started.standardOutput as! Pipe).fileHandleForReading
        var line = Data()
        while let byte = try handle.read(upToCount: 1), !byte.isEmpty, byte != Data([0x0A]) { line += byte }
        guard let port = Int(String(decoding: line, as: UTF8.self)) else {
            kill(started.processIdentifier, SIGKILL)
            throw Shell.Failure(description: "the proxy did not start")
        }
        self.port = port
        self.process = started
    }

    func stop() {
        // SIGKILL: a child of the test runner may inherit a signal mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
