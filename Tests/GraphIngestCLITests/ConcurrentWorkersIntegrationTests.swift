import Foundation
import IntegrationSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Several `ingest` processes over one corpus (issue 15), on the real servers: they share the
/// corpus through the registry's queue, and the graph and registry equal one process's run.
@Suite(.serialized) struct ConcurrentWorkersIntegrationTests {
    typealias E2E = IngestEndToEndIntegrationTests
    typealias Reindex = ReindexEndToEndIntegrationTests
    typealias GraphDump = ReindexEndToEndIntegrationTests.GraphDump

    static func folder(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-\(name)-\(getpid())")
    }

    /// Starts an `ingest` of `corpus` as its own process.
    static func startIngest(_ corpus: String, _ servers: ScratchServers, extra: [String] = [],
                            gazetteer: String = E2E.gazetteer) throws -> ProcessHandle {
        ProcessHandle(try Shell.start(IntegrationEnvironment.graphingest, [
            "ingest", corpus, "--gazetteer", gazetteer, "--rules", E2E.rules, "--json", "--quiet",
            "--documents-per-commit", "5", "--extraction-workers", "1",
        ] + extra, environment: servers.environment))
    }

    static func summary(_ output: Shell.Output) -> [String: Any] {
        output.lastJSONObject ?? [:]
    }

    /// Polls until `condition` holds (or fails the test after `seconds`).
    static func waitUntil(_ what: String, seconds: Double = 60, _ condition: () throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
    }

    @Test func threeProcessesEqualOneRunAndLoadEachDocumentOnce() async throws {
        let corpus = Self.folder("workers3")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 120, version: 1)
        let servers = try ScratchServers.make("workers3")
        defer { servers.drop() }
        try E2E.initialize(servers)
        // No first run: the three create the same new entities at the same moment.
        let processes = try (0..<3).map { _ in try Self.startIngest(corpus.path, servers, extra: ["--min-cooccurrence", "1"]) }
        var outputs: [Shell.Output] = []
        for process in processes { outputs.append(try await process.finish()) }
        for output in outputs { #expect(output.status == 0, "\(output.stderr)") }
        let summaries = outputs.map(Self.summary)
        let loaded = summaries.map { $0["loaded"] as? Int ?? -1 }
        let claimed = summaries.map { $0["claimed"] as? Int ?? -1 }
        #expect(loaded.reduce(0, +) == 120, "loaded per process: \(loaded)")
        #expect(claimed.reduce(0, +) == 120, "each document claimed once: \(claimed)")
        #expect(try servers.sql("SELECT status, count(*) FROM graphingest.documents GROUP BY status") == [["loaded", "120"]])
        #expect(try servers.sql("SELECT count(*) FROM graphingest.documents WHERE lease_holder IS NOT NULL") == [["0"]])
        #expect(try servers.sql("SELECT count(*) FROM graphingest.workers WHERE finished_at IS NULL") == [["0"]])
        let counts = try E2E.counts(servers)
        #expect(counts.documents == 120 && counts.distinctDocuments == 120)
        let dump = try GraphDump(servers)
        dump.expectInternallyConsistent()
        let path = corpus.path
        Reindex.expectSame(dump, try await offThePool { try Reindex.freshIngest(path, label: "workers3fresh", extra: ["--min-cooccurrence", "1"]) })
    }

    /// A worker's liveness is its PostgreSQL session: the documents a killed process held under a
    /// ten-minute lease are taken over by the next run at once. The rerun does not wait for
    /// documents others hold (`--no-wait`), so with the lease alone it would leave them.
    @Test func aKilledProcessesDocumentsAreTakenOverAtOnceNotAfterItsLease() async throws {
        let corpus = Self.folder("workersalive")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 40, version: 1)
        let servers = try ScratchServers.make("workersalive")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let victim = try Self.startIngest(corpus.path, servers, extra: ["--lease", "10m", "--test-hold-claims-ms", "60000"])
        let holder = "%:\(victim.processIdentifier):%"
        try await Self.waitUntil("the victim holds documents") {
            try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'indexing' AND lease_holder LIKE '\(holder)'") != [["0"]]
        }
        #expect(try servers.sql("SELECT liveness_lock FROM graphingest.workers WHERE id LIKE '\(holder)'") == [["t"]])
        let held = try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'indexing' AND graphingest.lease_is_live(lease_holder, lease_until)")
        #expect(held != [["0"]], "a live worker's documents are held")
        kill(victim.processIdentifier, SIGKILL)
        _ = try await victim.finish()
        // The server ends the dead process's session when it reads the closed socket.
        try await Self.waitUntil("the victim's session is gone") {
            try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'indexing' AND graphingest.lease_is_live(lease_holder, lease_until)") == [["0"]]
        }
        let rerun = try await Self.startIngest(corpus.path, servers, extra: ["--lease", "10m", "--no-wait"]).finish()
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(Self.summary(rerun)["loaded"] as? Int == 40, "\(rerun.stdout)")
        #expect(try servers.sql("SELECT status, count(*) FROM graphingest.documents GROUP BY status") == [["loaded", "40"]])
        let dump = try GraphDump(servers)
        let path = corpus.path
        Reindex.expectSame(dump, try await offThePool { try Reindex.freshIngest(path, label: "workersalivefresh") })
    }

    @Test func aKilledProcessesDocumentsAreFinishedByTheOthersAfterItsLeaseExpires() async throws {
        let corpus = Self.folder("workerskill")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 100, version: 1)
        let servers = try ScratchServers.make("workerskill")
        defer { servers.drop() }
        try E2E.initialize(servers)
        // The victim holds each claim for a long time (a slow extraction) and is killed while
        // it holds documents; its lease is short, so the others take them over.
        let victim = try Self.startIngest(corpus.path, servers, extra: ["--lease", "3s", "--test-hold-claims-ms", "60000"])
        let holder = "%:\(victim.processIdentifier):%"
        try await Self.waitUntil("the victim holds documents") {
            try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'indexing' AND lease_holder LIKE '\(holder)'") != [["0"]]
        }
        let others = try (0..<2).map { _ in try Self.startIngest(corpus.path, servers, extra: ["--lease", "3s"]) }
        usleep(500_000)
        kill(victim.processIdentifier, SIGKILL)
        _ = try await victim.finish()
        var outputs: [Shell.Output] = []
        for process in others { outputs.append(try await process.finish()) }
        for output in outputs { #expect(output.status == 0, "\(output.stderr)") }
        let loaded = outputs.map(Self.summary).map { $0["loaded"] as? Int ?? -1 }
        #expect(loaded.reduce(0, +) == 100, "the two survivors loaded everything: \(loaded)")
        #expect(try servers.sql("SELECT status, count(*) FROM graphingest.documents GROUP BY status") == [["loaded", "100"]])
        let dump = try GraphDump(servers)
        dump.expectInternallyConsistent()
        let path = corpus.path
        Reindex.expectSame(dump, try await offThePool { try Reindex.freshIngest(path, label: "workerskillfresh") })
    }

    @Test func aDocumentThatTakesLongerThanTheLeaseIsNotTakenFromItsLiveHolder() async throws {
        let corpus = Self.folder("workersrenew")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 40, version: 1)
        let servers = try ScratchServers.make("workersrenew")
        defer { servers.drop() }
        try E2E.initialize(servers)
        // Each claim is held 8 s under a 2 s lease: only renewals keep it.
        let slow = try Self.startIngest(corpus.path, servers, extra: ["--lease", "2s", "--test-hold-claims-ms", "8000"])
        try await Self.waitUntil("the slow process holds documents") {
            try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'indexing'") != [["0"]]
        }
        // status names the holder of each leased document and the running worker.
        let status = try E2E.graphingest(["status"], servers)
        let shown = status.stdout + status.stderr
        #expect(shown.contains("held by \(QueueWorkerName.host):\(slow.processIdentifier):"), "\(shown)")
        #expect(shown.contains("ingest \(QueueWorkerName.host):\(slow.processIdentifier):") && shown.contains("running"), "\(shown)")
        let fast = try Self.startIngest(corpus.path, servers, extra: ["--lease", "2s"])
        let outputs = [try await slow.finish(), try await fast.finish()]
        for output in outputs { #expect(output.status == 0, "\(output.stderr)") }
        let claimed = outputs.map(Self.summary).map { $0["claimed"] as? Int ?? -1 }
        #expect(claimed.reduce(0, +) == 40, "no document claimed twice: \(claimed)")
        #expect(claimed[0] > 0)
        #expect(try servers.sql("SELECT status, count(*) FROM graphingest.documents GROUP BY status") == [["loaded", "40"]])
    }

    @Test func aProcessWithAnotherGazetteerRefusesWhileOthersWork() async throws {
        let corpus = Self.folder("workersprint")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 20, version: 1)
        let servers = try ScratchServers.make("workersprint")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let other = Self.folder("workersprint-gazetteer").appendingPathExtension("tsv")
        defer { try? FileManager.default.removeItem(at: other) }
        try (String(contentsOfFile: E2E.gazetteer, encoding: .utf8) + "geo:999\tAtlantis\tCity\tAtlantis\t\n").write(to: other, atomically: true, encoding: .utf8)
        let first = try Self.startIngest(corpus.path, servers, extra: ["--test-hold-claims-ms", "3000"])
        try await Self.waitUntil("the first process works") {
            try servers.sql("SELECT count(*) FROM graphingest.workers WHERE finished_at IS NULL") != [["0"]]
        }
        let refused = try await Self.startIngest(corpus.path, servers, gazetteer: other.path).finish()
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("gazetteer") && refused.stderr.contains("refusing"), "\(refused.stderr)")
        let finished = try await first.finish()
        #expect(finished.status == 0, "\(finished.stderr)")
        // Once the first has finished, the other extraction may run (and re-extracts everything).
        let after = try await Self.startIngest(corpus.path, servers, gazetteer: other.path).finish()
        #expect(after.status == 0, "\(after.stderr)")
    }

    /// Starts a `reindex` of `corpus` as its own process.
    static func startReindex(_ corpus: String, _ servers: ScratchServers, extra: [String] = []) throws -> ProcessHandle {
        ProcessHandle(try Shell.start(IntegrationEnvironment.graphingest, [
            "reindex", corpus, "--gazetteer", E2E.gazetteer, "--rules", E2E.rules, "--json", "--quiet",
            "--documents-per-commit", "5", "--extraction-workers", "1",
        ] + extra, environment: servers.environment))
    }

    @Test func twoReindexProcessesAfterEachRoundOfChangesEqualAFreshIngest() async throws {
        let corpus = Self.folder("workersreindex")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 100, version: 1)
        let servers = try ScratchServers.make("workersreindex")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try await Self.startIngest(corpus.path, servers).finish().status == 0)
        // Round 1: every third edited, a tenth deleted, ten added. Round 2: every fourth and the
        // added ones edited, another tenth deleted.
        for round in 1...2 {
            let version = round + 1
            try Reindex.generate(corpus, count: 110, version: version) { index in
                index % (round + 2) != 0 && index < 100  // edit every third (then every fourth) and add the new ones
            }
            for index in stride(from: round, to: 100, by: 10) {
                try? FileManager.default.removeItem(at: corpus.appendingPathComponent("part\(index % 10)/doc\(index).txt"))
            }
            let processes = try (0..<2).map { _ in try Self.startReindex(corpus.path, servers) }
            var outputs: [Shell.Output] = []
            for process in processes { outputs.append(try await process.finish()) }
            for output in outputs { #expect(output.status == 0, "round \(round): \(output.stderr)") }
            let summaries = outputs.map(Self.summary)
            let extracted = summaries.map { $0["documents_extracted"] as? Int ?? -1 }
            let deleted = summaries.map { $0["deleted"] as? Int ?? -1 }
            #expect(deleted.reduce(0, +) >= 10, "round \(round): each gone document deleted: \(deleted)")
            #expect(!extracted.contains(-1), "round \(round): \(summaries)")
            #expect(try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status IN ('indexing', 'pending', 'failed')") == [["0"]])
            let dump = try GraphDump(servers)
            dump.expectInternallyConsistent()
            let path = corpus.path
            Reindex.expectSame(dump, try await offThePool { try Reindex.freshIngest(path, label: "workersreindexfresh\(round)") })
        }
    }

    @Test func checkRepairBesideARunningReindexLeavesWhatAFreshIngestLeaves() async throws {
        let corpus = Self.folder("workerscheck")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 100, version: 1)
        let servers = try ScratchServers.make("workerscheck")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try await Self.startIngest(corpus.path, servers).finish().status == 0)
        // Changes for the reindex: every third (doc0, doc3...) edited, a tenth deleted, ten added. Damage for the
        // repair, on documents the reindex leaves alone: a MENTIONS count, a ghost Document.
        try Reindex.generate(corpus, count: 110, version: 2) { index in index % 3 != 0 && index < 100 }
        for index in stride(from: 1, to: 100, by: 10) {
            try? FileManager.default.removeItem(at: corpus.appendingPathComponent("part\(index % 10)/doc\(index).txt"))
        }
        let untouched = try #require(try servers.sql(
            "SELECT id FROM graphingest.documents WHERE source LIKE '%/doc4.txt'").first?.first)
        _ = try servers.cypherWithPythonDriver("MATCH (:Document {id: \(untouched)})-[m:MENTIONS]->() SET m.count = 99")
        _ = try servers.cypherWithPythonDriver("CREATE (:Document {id: 777777, source: 'ghost.txt', sha256: 'x'})")

        let reindex = try Self.startReindex(corpus.path, servers, extra: ["--test-hold-claims-ms", "400"])
        var repairs: [Shell.Output] = []
        while repairs.count < 2 || reindex.process.isRunning {
            let repair = ProcessHandle(try Shell.start(IntegrationEnvironment.graphingest, [
                "check", "--repair", "--json", "--range-size", "7",
            ], environment: servers.environment))
            repairs.append(try await repair.finish())
        }
        let reindexed = try await reindex.finish()
        #expect(reindexed.status == 0, "\(reindexed.stderr)")
        // The repairs did repair: the MENTIONS count and the ghost Document.
        let figures = repairs.compactMap { Self.summary($0)["repair"] as? [String: Any] }
        #expect(figures.count == repairs.count, "\(repairs.map(\.stderr))")
        #expect(figures.map { $0["mentions_written"] as? Int ?? 0 }.reduce(0, +) >= 1)
        #expect(figures.map { $0["documents_deleted"] as? Int ?? 0 }.reduce(0, +) >= 1)
        for repair in repairs {
            // Beside a running reindex, the check after a repair may see documents in flight (1).
            #expect(repair.status == 0 || repair.status == 1, "\(repair.stderr)")
        }
        let check = try E2E.graphingest(["check"], servers)
        #expect(check.status == 0, "after the reindex and the repairs: \(check.stdout)")
        let dump = try GraphDump(servers)
        dump.expectInternallyConsistent()
        let path = corpus.path
        Reindex.expectSame(dump, try await offThePool { try Reindex.freshIngest(path, label: "workerscheckfresh") })
    }

    /// A repair's graph writes wait for the graph-write lock that batches hold: while another
    /// session holds it, `check --repair` repairs nothing; once it is given back, the repair runs.
    @Test func checkRepairWaitsForTheGraphWriteLockThatBatchesHold() async throws {
        let corpus = Self.folder("workerslock")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 20, version: 1)
        let servers = try ScratchServers.make("workerslock")
        defer { servers.drop() }
        try E2E.initialize(servers)
        #expect(try await Self.startIngest(corpus.path, servers).finish().status == 0)
        let damaged = try #require(try servers.sql("SELECT id FROM graphingest.documents WHERE source LIKE '%/doc4.txt'").first?.first)
        _ = try servers.cypherWithPythonDriver("MATCH (:Document {id: \(damaged)})-[m:MENTIONS]->() SET m.count = 99")
        let largestCount = "MATCH (:Document {id: \(damaged)})-[m:MENTIONS]->() RETURN max(m.count) AS n"

        // Another session takes the lock, as a committing batch does, and keeps it for 4 s.
        let holder = ProcessHandle(try Shell.start("psql", [
            "-d", servers.name, "-v", "ON_ERROR_STOP=1",
            "-c", "SELECT pg_advisory_lock(hashtext('graphingest.graph-writes'))", "-c", "SELECT pg_sleep(4)",
        ], environment: servers.environment))
        try await Self.waitUntil("the other session holds the lock") {
            try servers.sql("""
                SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """).first?.first == "1"
        }
        let repair = ProcessHandle(try Shell.start(IntegrationEnvironment.graphingest, ["check", "--repair", "--json"],
                                                   environment: servers.environment))
        try await Task.sleep(for: .seconds(2))
        #expect(repair.process.isRunning, "the repair waits for the lock")
        #expect(try servers.cypherWithPythonDriver(largestCount).first?["n"] as? Int == 99, "nothing repaired while the lock is held")

        #expect(try await holder.finish().status == 0)
        let repaired = try await repair.finish()
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect((Self.summary(repaired)["repair"] as? [String: Any])?["mentions_written"] as? Int ?? 0 >= 1, "\(repaired.stdout)")
        #expect(try servers.cypherWithPythonDriver(largestCount).first?["n"] as? Int != 99, "repaired once the lock was given back")
    }

    /// This machine's name, as worker ids carry it.
    enum QueueWorkerName {
        static var host: String {
            var buffer = [CChar](repeating: 0, count: 256)
            _ = gethostname(&buffer, buffer.count - 1)
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// A TCP port nothing listens on now (the kernel's pick).
    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        try #require(bound, "cannot find a free port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test func metricsAreScrapedDuringARunAndJSONLogsCarryNoCredentials() async throws {
        let corpus = Self.folder("workersmetrics")
        defer { try? FileManager.default.removeItem(at: corpus) }
        try Reindex.generate(corpus, count: 40, version: 1)
        let servers = try ScratchServers.make("workersmetrics")
        defer { servers.drop() }
        try E2E.initialize(servers)
        let port = try Self.freePort()
        let process = try Self.startIngest(corpus.path, servers, extra: ["--metrics-port", "\(port)", "--log-format", "json", "--test-hold-claims-ms", "1500"])
        // Scraped while the run holds its claims: the counters are there and moving.
        var scraped = ""
        try await Self.waitUntil("the endpoint reports claims") {
            scraped = (try? String(contentsOf: URL(string: "http://127.0.0.1:\(port)/metrics")!, encoding: .utf8)) ?? ""
            return scraped.split(separator: "\n").contains { $0.hasPrefix("graphingest_documents_claimed_total ") && !$0.hasSuffix(" 0") }
        }
        #expect(scraped.contains("# TYPE graphingest_claim_seconds histogram"), "\(scraped)")
        #expect(scraped.contains("graphingest_documents_held"), "\(scraped)")
        let output = try await process.finish()
        #expect(output.status == 0, "\(output.stderr)")
        #expect(Self.summary(output)["loaded"] as? Int == 40)
        let lines = output.stderr.split(separator: "\n")
        #expect(lines.count >= 3)
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["level"] != nil && object?["message"] != nil && object?["time"] != nil, "not a JSON log line: \(line)")
        }
        #expect(output.stderr.contains("worker started") && output.stderr.contains("worker stopped"))
        for secret in ["PGPASSWORD", "GRAPHINGEST_BOLT_PASSWORD"].compactMap({ servers.environment[$0] }) where !secret.isEmpty {
            #expect(!output.stderr.contains(secret), "a password in the logs")
        }
    }
}
