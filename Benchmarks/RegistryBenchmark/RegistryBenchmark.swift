import Foundation
import Registry

/// Measures the registry's bulk operations against the PostgreSQL that `PG*` (or
/// `GRAPHINGEST_POSTGRES`) points at, in a throwaway schema:
/// register 1,000,000 sources (new, then known), register 1,000,000 entity keys, and replace the
/// mention snapshots of 100,000 documents (10 rows each, 1,000,000 rows). Prints rows/s.
///
/// With `--claims`, measures the work queue instead: claims per second and documents claimed per
/// second, for 1, 2 and 4 concurrent claimers (as many processes would), each claiming batches of
/// 32 documents in the same order over one corpus (so they meet each other's claims), against
/// 100,000 registered documents (divided by `--scale`).
///
/// Usage: `swift run -c release RegistryBenchmark [--scale N] [--claims]` (N divides the sizes; default 1).
@main
struct RegistryBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let scale = arguments.firstIndex(of: "--scale").flatMap { Int(arguments[$0 + 1]) } ?? 1
        let sources = 1_000_000 / scale
        let keys = 1_000_000 / scale
        let mentionDocuments = 100_000 / scale
        let schema = try RegistrySchema("graphingest_bench_\(UInt32.random(in: 0...UInt32.max))")
        var settings = RegistryConnectionSettings.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
        if settings.conninfo.isEmpty {
            // PG* variables: name the sessions so that their server processes can be found.
            settings = RegistryConnectionSettings(conninfo: "application_name=\(schema.name)")
        }
        let claims = arguments.contains("--claims")
        let store = RegistryStore(settings: settings, schema: schema, maximumConnections: claims ? 4 : 2)
        print("registry benchmark on \(settings), schema \(schema)")
        let probe = try await PostgresConnection.connect(settings)
        let server = ServerCPU(probe: probe, applicationName: schema.name)
        do {
            try await store.migrate()
            if claims {
                try await ClaimBench(store: store).run(documents: 100_000 / scale)
            } else {
                try await Bench(store: store, server: server).run(sources: sources, keys: keys, mentionDocuments: mentionDocuments)
            }
        } catch {
            print("benchmark failed: \(error)")
        }
        await store.close()
        await probe.close()
        try await RegistryStore.dropSchemaForBenchmark(schema, settings: settings)
    }

}

/// The measured operations.
struct Bench {
    let store: RegistryStore
    let server: ServerCPU

    func run(sources: Int, keys: Int, mentionDocuments: Int) async throws {
        let empty = try await batchCosts(label: "empty registry")
        let documents = (0..<sources).map {
            DocumentRegistration(source: "corpus/d\($0 % 1000)/document-\($0).txt", sha256: String(repeating: "a", count: 64), bytes: 4096)
        }
        var ids: [String: Int64] = [:]
        try await measure("registerDocuments (new)", rows: sources) { ids = try await store.registerDocuments(documents) }
        try await measure("registerDocuments (known)", rows: sources) { ids = try await store.registerDocuments(documents) }
        precondition(Set(ids.values).count == sources)
        let full = try await batchCosts(label: "\(sources) documents registered")
        for (name, small) in empty {
            let large = full.first { $0.0 == name }!.1
            print("  per-batch cost, \(name): \(String(format: "%.2f", large / small))x with \(sources) documents against an empty registry")
        }
        let plan = try await store.explainClassification((0..<512).map { ReindexCandidate(source: "corpus/d\($0)/document-\($0).txt", sha256: "x") })
        print("  EXPLAIN of ingest's classification of 512 candidates against \(sources) documents:")
        for line in plan { print("    " + line) }

        let entities = (0..<keys).map { EntityRegistration(key: "geo:\($0)", name: "Place number \($0)", type: "City") }
        var entityIDs: [String: Int64] = [:]
        try await measure("registerEntities (new)", rows: keys) { entityIDs = try await store.registerEntities(entities) }
        try await measure("registerEntities (known)", rows: keys) { entityIDs = try await store.registerEntities(entities) }

        let documentIDs = documents.prefix(mentionDocuments).map { ids[$0.source]! }
        let entityList = Array(entityIDs.values)
        func snapshots(shift: Int) -> [[Int64: [MentionCount]]] {
            stride(from: 0, to: documentIDs.count, by: 10_000).map { start in
                var chunk: [Int64: [MentionCount]] = [:]
                for index in start..<min(start + 10_000, documentIDs.count) {
                    chunk[documentIDs[index]] = (0..<10).map {
                        MentionCount(entityID: entityList[(index * 10 + $0 + shift) % entityList.count], count: 1 + $0)
                    }
                }
                return chunk
            }
        }
        let first = snapshots(shift: 0)
        try await measure("replaceMentionSnapshots (new, 10k documents per call)", rows: mentionDocuments * 10) {
            for chunk in first { try await store.replaceMentionSnapshots(chunk) }
        }
        try await measure("replaceMentionSnapshots (unchanged)", rows: mentionDocuments * 10) {
            for chunk in first { try await store.replaceMentionSnapshots(chunk) }
        }
        let moved = snapshots(shift: 5)
        try await measure("replaceMentionSnapshots (half the rows changed)", rows: mentionDocuments * 10) {
            for chunk in moved { try await store.replaceMentionSnapshots(chunk) }
        }

        let found = documents.map { ReindexCandidate(source: $0.source, sha256: $0.sha256) }
        try await measure("planReindex", rows: sources) {
            let plan = try await store.planReindex(roots: [""], found: found)
            precondition(plan.changed.count == sources)
        }
        // As the workers claim: the batch they read, by source (registered already here).
        let claimable = Array(documents.prefix(min(100_000, sources)))
        try await measure("claimDocuments (1,000 per claim)", rows: claimable.count) {
            var claimed = 0
            for start in stride(from: 0, to: claimable.count, by: 1_000) {
                let batch = Array(claimable[start..<min(start + 1_000, claimable.count)])
                claimed += try await store.claimDocuments(batch, fingerprint: "f", holder: "bench", lease: .seconds(600)).claimed.count
            }
            precondition(claimed == claimable.count)
        }
    }

    /// What one batch of `ingest`'s registry work costs: classifying 512 candidates (half known,
    /// half new) and registering 1,000 new sources. The median of five rounds each, in seconds;
    /// the new sources are fresh every round so each registers for real.
    func batchCosts(label: String) async throws -> [(String, Double)] {
        let clock = ContinuousClock()
        var classify: [Double] = []
        var register: [Double] = []
        for round in 0..<5 {
            let candidates = (0..<512).map { index in
                ReindexCandidate(source: index % 2 == 0 ? "corpus/d\(index)/document-\(index).txt" : "fresh/\(label)/\(round)/\(index)",
                                 sha256: String(repeating: "a", count: 64))
            }
            let registrations = (0..<1_000).map { DocumentRegistration(source: "batch/\(label)/\(round)/\($0)", sha256: "b", bytes: 1) }
            classify.append(try await clock.measure { _ = try await store.classify(candidates, fingerprint: "f") }.seconds)
            register.append(try await clock.measure { _ = try await store.registerDocumentsReturningVersions(registrations) }.seconds)
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print("batch costs, \(label): classify 512 \(String(format: "%.4f", median(classify))) s, "
            + "register 1,000 new \(String(format: "%.4f", median(register))) s (median of 5)")
        return [("classify 512", median(classify)), ("register 1,000 new", median(register))]
    }

    /// Runs `body` once and prints its rows/s, with the CPU time of the client (all threads, the
    /// connection threads included) and of the PostgreSQL backends serving it beside the wall
    /// time: CPU time stays meaningful on a shared machine where wall time does not.
    func measure(_ label: String, rows: Int, _ body: () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let cpuBefore = Self.processCPUSeconds()
        let serverBefore = try await server.seconds()
        let elapsed = try await clock.measure { try await body() }
        let cpu = Self.processCPUSeconds() - cpuBefore
        let serverCPU = try await server.seconds().map { after in after - (serverBefore ?? 0) }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(rows) / seconds
        print("\(label.padding(toLength: 56, withPad: " ", startingAt: 0)) \(String(rows).leftPadded(9)) rows  "
            + "\(String(format: "%7.2f", seconds)) s  \(String(Int(rate)).leftPadded(9)) rows/s  "
            + "client CPU \(String(format: "%5.2f", cpu)) s  "
            + "server CPU \(serverCPU.map { String(format: "%5.2f s", $0) } ?? "n/a")")
    }

    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

/// CPU time used so far by the server processes of the benchmark's sessions, read from
/// `/proc/<pid>/stat` (only when PostgreSQL runs on this machine; nil otherwise).
struct ServerCPU {
    let probe: PostgresConnection
    let applicationName: String

    func seconds() async throws -> Double? {
        let query = "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()"
        let name = applicationName
        let pids = try await probe.run("serverCPU") { connection in
            try connection.query(query, [name]) { try $0.decode(0, as: Int64.self) }
        }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        var found = false
        for pid in pids {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after the command name: state is field 3; utime and stime are 14 and 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            total += (user + system) / ticks
            found = true
        }
        return found || pids.isEmpty ? total : nil
    }
}

extension Duration {
    fileprivate var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}

/// The work queue's cost: claims per second with several claimers over one corpus.
struct ClaimBench {
    let store: RegistryStore

    func run(documents count: Int) async throws {
        for claimers in [1, 2, 4] {
            let prefix = "claims\(claimers)/"
            let documents = (0..<count).map {
                DocumentRegistration(source: prefix + "document-\($0).txt", sha256: String(repeating: "b", count: 64), bytes: 4096)
            }
            _ = try await store.registerDocuments(documents)
            let batches = stride(from: 0, to: count, by: 32).map { Array(documents[$0..<min($0 + 32, count)]) }
            let start = ContinuousClock.now
            let results = try await withThrowingTaskGroup(of: (claims: Int, claimed: Int).self) { group in
                for claimer in 0..<claimers {
                    group.addTask {
                        var claims = 0
                        var claimed = 0
                        for batch in batches {
                            let outcome = try await store.claimDocuments(batch, fingerprint: "f", holder: "bench-\(claimer)", lease: .seconds(120))
                            claims += 1
                            claimed += outcome.claimed.count
                        }
                        return (claims, claimed)
                    }
                }
                var all: [(claims: Int, claimed: Int)] = []
                for try await result in group { all.append(result) }
                return all
            }
            let seconds = (ContinuousClock.now - start) / .seconds(1)
            let claims = results.reduce(0) { $0 + $1.claims }
            let claimed = results.reduce(0) { $0 + $1.claimed }
            print("claims, \(claimers) claimer(s) over \(count) documents: \(claims) claims of 32 in \(String(format: "%.2f", seconds)) s = "
                  + "\(Int(Double(claims) / seconds)) claims/s, \(Int(Double(claimed) / seconds)) documents claimed/s "
                  + "(\(claimed) claimed: each once)")
            precondition(claimed == count, "a document was claimed twice or not at all")
        }
    }
}
