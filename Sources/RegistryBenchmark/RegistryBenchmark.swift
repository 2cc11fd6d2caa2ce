import Foundation
import Registry

/// Measures the registry's bulk operations against the PostgreSQL that `PG*` (or
/// `GRAPHINGEST_POSTGRES`) points at, in a throwaway schema:
/// register 1,000,000 sources (new, then known), register 1,000,000 entity keys, and replace the
/// mention snapshots of 100,000 documents (10 rows each, 1,000,000 rows). Prints rows/s.
///
/// Usage: `swift run -c release RegistryBenchmark [--scale N]` (N divides the sizes; default 1).
@main
struct RegistryBenchmark {
    static func main() async throws {
        let arguments = CommandLine.arguments
        let scale = arguments.firstIndex(of: "--scale").flatMap { Int(arguments[$0 + 1]) } ?? 1
        let sources = 1_000_000 / scale
        let keys = 1_000_000 / scale
        let mentionDocuments = 100_000 / scale
        let settings = RegistryConnectionSettings.resolve(option: nil, environment: ProcessInfo.processInfo.environment)
        let schema = try RegistrySchema("graphingest_bench_\(UInt32.random(in: 0...UInt32.max))")
        let store = RegistryStore(settings: settings, schema: schema, maximumConnections: 2)
        print("registry benchmark on \(settings.conninfo.isEmpty ? "the PG* environment" : settings.description), schema \(schema)")
        do {
            try await store.migrate()
            try await run(store: store, sources: sources, keys: keys, mentionDocuments: mentionDocuments)
        } catch {
            print("benchmark failed: \(error)")
        }
        await store.close()
        try await RegistryStore.dropSchemaForBenchmark(schema, settings: settings)
    }

    static func run(store: RegistryStore, sources: Int, keys: Int, mentionDocuments: Int) async throws {
        let documents = (0..<sources).map {
            DocumentRegistration(source: "corpus/d\($0 % 1000)/document-\($0).txt", sha256: String(repeating: "a", count: 64), bytes: 4096)
        }
        var ids: [String: Int64] = [:]
        try await measure("registerDocuments (new)", rows: sources) { ids = try await store.registerDocuments(documents) }
        try await measure("registerDocuments (known)", rows: sources) { ids = try await store.registerDocuments(documents) }
        precondition(Set(ids.values).count == sources)

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
        try await measure("claimPending (1,000 per claim)", rows: min(100_000, sources)) {
            var claimed = 0
            while claimed < min(100_000, sources) {
                let batch = try await store.claimPending(limit: 1_000, lease: .seconds(600))
                if batch.isEmpty { break }
                claimed += batch.count
            }
        }
        var read = 0
        try await measure("mentions reader (50k per page)", rows: mentionDocuments * 10) {
            for try await page in store.mentions() { read += page.count }
        }
        precondition(read == mentionDocuments * 10)
    }

    /// Runs `body` once and prints its rows/s, with the client's CPU time (all threads, the
    /// connection threads included) beside the wall time: when the CPU time is small the server
    /// is the bottleneck.
    static func measure(_ label: String, rows: Int, _ body: () async throws -> Void) async throws {
        let clock = ContinuousClock()
        let cpuBefore = processCPUSeconds()
        let elapsed = try await clock.measure { try await body() }
        let cpu = processCPUSeconds() - cpuBefore
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let rate = Double(rows) / seconds
        print("\(label.padding(toLength: 56, withPad: " ", startingAt: 0)) \(String(rows).leftPadded(9)) rows  "
            + "\(String(format: "%7.2f", seconds)) s  \(String(Int(rate)).leftPadded(9)) rows/s  "
            + "client CPU \(String(format: "%5.2f", cpu)) s")
    }

    static func processCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
