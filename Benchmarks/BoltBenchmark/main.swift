// BoltBenchmark: encoding cost per row, and a load of Document/Entity/MENTIONS rows with our
// client versus the official Python driver (with neo4j-rust-ext) on the same server, printed as
// figures and ratios. Not a test: run it by hand (release build), see README in this folder.
import Bolt
import Foundation
import NIOCore
import PackStream

#if canImport(Glibc)
import Glibc
#endif

struct DocumentRow: PackStreamEncodable {
    var id: Int64
    var source: String
    var title: String
    var sha256: String
    var bytes: Int64
    var version: Int64

    func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 6)
        writer.writeKey("id")
        writer.writeInteger(id)
        writer.writeKey("source")
        writer.writeString(source)
        writer.writeKey("title")
        writer.writeString(title)
        writer.writeKey("sha256")
        writer.writeString(sha256)
        writer.writeKey("bytes")
        writer.writeInteger(bytes)
        writer.writeKey("version")
        writer.writeInteger(version)
    }
}

struct EntityRow: PackStreamEncodable {
    var id: Int64
    var key: String
    var name: String
    var type: String

    func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 4)
        writer.writeKey("id")
        writer.writeInteger(id)
        writer.writeKey("key")
        writer.writeString(key)
        writer.writeKey("name")
        writer.writeString(name)
        writer.writeKey("type")
        writer.writeString(type)
    }
}

/// Keys as GraphStore's mention rows (`d`, `e`, `c`, `o`), so the statements are GraphCypher's.
struct MentionRow: PackStreamEncodable {
    var document: Int64
    var entity: Int64
    var count: Int64
    var offsets: (Int64, Int64, Int64)

    func encode(to writer: inout PackStreamWriter) {
        writer.writeMapHeader(count: 4)
        writer.writeKey("d")
        writer.writeInteger(document)
        writer.writeKey("e")
        writer.writeInteger(entity)
        writer.writeKey("c")
        writer.writeInteger(count)
        writer.writeKey("o")
        writer.writeListHeader(count: 3)
        writer.writeInteger(offsets.0)
        writer.writeInteger(offsets.1)
        writer.writeInteger(offsets.2)
    }
}

/// The same data as reference.py builds.
enum BenchData {
    static let documents = (0..<10_000).map {
        DocumentRow(id: Int64($0), source: "docs/\($0).txt", title: "Document \($0)", sha256: String(repeating: "0", count: 64),
                    bytes: 1000, version: 1)
    }
    static let entities = (0..<20_000).map { EntityRow(id: Int64($0), key: "geo:\($0)", name: "Entity \($0)", type: "City") }
    static let mentions: [MentionRow] = (0..<100_000).map { (k: Int) -> MentionRow in
        let offset = Int64(k % 100)
        let entity = Int64((k * 7919) % 20_000)
        return MentionRow(document: Int64(k / 10), entity: entity, count: Int64(k % 5 + 1), offsets: (offset, offset + 10, offset + 20))
    }
}

/// GraphCypher's statements, word for word (reference.py has the same).
enum Cypher {
    static let constraints = [
        "CREATE CONSTRAINT IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
        "CREATE CONSTRAINT IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    ]
    static let documents = "UNWIND $rows AS row MERGE (d:Document {id: row.id}) "
        + "SET d.source = row.source, d.title = row.title, d.sha256 = row.sha256, d.bytes = row.bytes, d.version = row.version"
    static let entities = "UNWIND $rows AS row MERGE (e:Entity {id: row.id}) SET e.key = row.key, e.name = row.name, e.type = row.type"
    static let deleteMentions = "UNWIND $ids AS id MATCH (d:Document {id: id})-[m:MENTIONS]->() DELETE m"
    static let createMentions = "UNWIND $rows AS row MATCH (d:Document {id: row.d}) MATCH (e:Entity {id: row.e}) "
        + "CREATE (d)-[:MENTIONS {count: row.c, offsets: row.o}]->(e)"
    /// The statement before the writer switched to delete+CREATE, for the labelled MERGE figure.
    static let mergeMentions = "UNWIND $rows AS row MATCH (d:Document {id: row.d}) MATCH (e:Entity {id: row.e}) "
        + "MERGE (d)-[m:MENTIONS]->(e) SET m.count = row.c, m.offsets = row.o"
    static let emptyBatch = "MATCH (n) WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS deleted"
}

/// How MENTIONS are written: as `graphingest load` does (per batch of documents, one transaction
/// that deletes their MENTIONS and CREATEs the new ones), or with MERGE per batch of rows.
enum MentionWrite: String, CaseIterable {
    case replace, merge
}

/// Batches of documents as `graphingest load` cuts its commits (1,000 documents, or as soon as
/// they hold `limit` MENTIONS), with their MENTIONS sorted by (entity, document) as the writer
/// sorts them; reference.py cuts the same batches.
func documentBatches(limit: Int) -> [(ids: [Int64], rows: [MentionRow])] {
    let byDocument = Dictionary(grouping: BenchData.mentions, by: \.document)
    var batches: [(ids: [Int64], rows: [MentionRow])] = []
    var ids: [Int64] = []
    var rows: [MentionRow] = []
    func close() {
        batches.append((ids, rows.sorted { ($0.entity, $0.document) < ($1.entity, $1.document) }))
        ids = []
        rows = []
    }
    for document in BenchData.documents {
        if ids.count >= 1000 || rows.count >= limit { close() }
        ids.append(document.id)
        rows += byDocument[document.id] ?? []
    }
    if !ids.isEmpty { close() }
    return batches
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func measureEncoding() -> (nsPerRow: Double, megabytesPerSecond: Double) {
    let rows = Array(BenchData.mentions.prefix(10_000))
    var bytes = 0
    var best = Double.infinity
    for _ in 0..<50 {
        let start = ContinuousClock.now
        // The whole RUN message as it goes to the socket: PackStream, then chunks in a ByteBuffer.
        var encoder = BoltRequestEncoder(version: BoltVersion(major: 5, minor: 4))
        encoder.run(Cypher.createMentions, parameters: ["rows": .rows(rows)], configuration: nil)
        let buffer = encoder.takeBuffer()
        let elapsed = ContinuousClock.now - start
        bytes = buffer.readableBytes
        best = min(best, Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
    }
    return (best * 1e9 / Double(rows.count), Double(bytes) / best / 1e6)
}

func batches<Row>(_ rows: [Row], size: Int) -> [ArraySlice<Row>] {
    stride(from: 0, to: rows.count, by: size).map { rows[$0..<min($0 + size, rows.count)] }
}

func emptyDatabase(_ client: BoltClient, database: String) async throws {
    try await client.withSession(database: database) { session in
        while true {
            let deleted = try await session.executeWrite { tx in
                try await tx.run(Cypher.emptyBatch).collect().first?["deleted"]?.intValue ?? 0
            }
            if deleted == 0 { break }
        }
    }
}

func loadWithOurClient(
    _ client: BoltClient, database: String, batchSize: Int, mentions: MentionWrite
) async throws -> (wall: Double, cpu: Double) {
    try await client.withSession(database: database) { session in
        for statement in Cypher.constraints { try await session.run(statement).consume() }
    }
    let cpuStart = cpuSeconds()
    let start = ContinuousClock.now
    try await client.withSession(database: database) { session in
        for batch in batches(BenchData.documents, size: batchSize) {
            try await session.executeWrite { tx in try await tx.execute(Cypher.documents, parameters: ["rows": .rows(batch)]) }
        }
        for batch in batches(BenchData.entities, size: batchSize) {
            try await session.executeWrite { tx in try await tx.execute(Cypher.entities, parameters: ["rows": .rows(batch)]) }
        }
        switch mentions {
        case .replace:
            for batch in documentBatches(limit: batchSize) {
                try await session.executeWrite { tx in
                    try await tx.execute(Cypher.deleteMentions, parameters: ["ids": .value(.list(batch.ids.map { .integer($0) }))])
                    if !batch.rows.isEmpty { try await tx.execute(Cypher.createMentions, parameters: ["rows": .rows(batch.rows)]) }
                }
            }
        case .merge:
            for batch in batches(BenchData.mentions, size: batchSize) {
                try await session.executeWrite { tx in try await tx.execute(Cypher.mergeMentions, parameters: ["rows": .rows(batch)]) }
            }
        }
    }
    let elapsed = ContinuousClock.now - start
    return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, cpuSeconds() - cpuStart)
}

func counts(_ client: BoltClient, database: String) async throws -> String {
    try await client.withSession(database: database) { session in
        let documents = try await session.run("MATCH (d:Document) RETURN count(d) AS c").collect().first?["c"]?.intValue ?? -1
        let entities = try await session.run("MATCH (e:Entity) RETURN count(e) AS c").collect().first?["c"]?.intValue ?? -1
        let mentions = try await session.run("MATCH (:Document)-[m:MENTIONS]->(:Entity) RETURN count(m) AS c").collect().first?["c"]?.intValue ?? -1
        return "\(documents) documents, \(entities) entities, \(mentions) mentions"
    }
}

func runPythonReference(
    database: String, batchSize: Int, mentions: MentionWrite = .replace, ensureDatabaseOnly: Bool = false
) throws -> (wall: Double, cpu: Double) {
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("reference.py")
    let environment = ProcessInfo.processInfo.environment
    let python = environment["GRAPHINGEST_PYTHON"] ?? URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".venv/bin/python").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script.path, "--database", database, "--batch-size", String(batchSize), "--mentions", mentions.rawValue]
        + (ensureDatabaseOnly ? ["--ensure-database"] : [])
    let out = Pipe()
    process.standardOutput = out
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if ensureDatabaseOnly, process.terminationStatus == 0 { return (0, 0) }
    guard process.terminationStatus == 0,
          let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
          let wall = object["wall"] as? Double, let cpu = object["cpu"] as? Double
    else { throw BoltError(.invalidConfiguration, reason: "the Python reference failed (\(python))") }
    return (wall, cpu)
}

@main
struct BoltBenchmark {
    static func main() async throws {
        let environment = ProcessInfo.processInfo.environment
        let arguments = CommandLine.arguments
        func option(_ name: String) -> String? {
            arguments.firstIndex(of: name).flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        }
        let database = option("--database") ?? environment["GRAPHINGEST_BENCH_DATABASE"] ?? "boltbench"
        let batchSize = Int(option("--batch-size") ?? "") ?? 5000
        let encodingOnly = arguments.contains("--encoding-only")

        let encoding = measureEncoding()
        print(String(format: "encoding 10,000 MENTIONS rows: %.1f ns/row, %.0f MB/s", encoding.nsPerRow, encoding.megabytesPerSecond))
        if encodingOnly { return }

        guard let uri = environment["GRAPHINGEST_BOLT_URI"] else {
            print("GRAPHINGEST_BOLT_URI is not set: eval \"$(scripts/services env)\" first")
            exit(2)
        }
        let auth = BoltAuth.basic(user: environment["GRAPHINGEST_BOLT_USER"] ?? "root", password: environment["GRAPHINGEST_BOLT_PASSWORD"] ?? "")
        let client = try BoltClient(uri: uri, auth: auth, userAgent: "graphingest-benchmark/0.1.0")
        let rows = Double(BenchData.documents.count + BenchData.entities.count + BenchData.mentions.count)
        print("database \(database), batches of \(batchSize), \(Int(rows)) rows (10,000 Document, 20,000 Entity, 100,000 MENTIONS)")

        _ = try runPythonReference(database: database, batchSize: batchSize, ensureDatabaseOnly: true)
        // Rounds alternate which client goes first (the server warms up, its JIT included), and
        // the best round of each counts. MENTIONS are written both ways: as `load` does (the
        // comparison that counts) and with MERGE (the earlier figure, labelled).
        let rounds = Int(option("--rounds") ?? "") ?? 2
        let modes = option("--mentions").flatMap(MentionWrite.init(rawValue:)).map { [$0] } ?? MentionWrite.allCases
        var ours: [MentionWrite: (wall: Double, cpu: Double)] = [:]
        var python: [MentionWrite: (wall: Double, cpu: Double)] = [:]
        for round in 0..<rounds {
            for mentions in modes {
                for oursFirst in [round % 2 == 0, round % 2 != 0] {
                    try await emptyDatabase(client, database: database)
                    if oursFirst {
                        let figures = try await loadWithOurClient(client, database: database, batchSize: batchSize, mentions: mentions)
                        print(String(format: "  round %d, %@, graphingest: %.2f s wall, ", round + 1, mentions.rawValue, figures.wall)
                            + (try await counts(client, database: database)))
                        if figures.wall < ours[mentions, default: (.infinity, 0)].wall { ours[mentions] = figures }
                    } else {
                        let figures = try runPythonReference(database: database, batchSize: batchSize, mentions: mentions)
                        print(String(format: "  round %d, %@, Python: %.2f s wall, ", round + 1, mentions.rawValue, figures.wall)
                            + (try await counts(client, database: database)))
                        if figures.wall < python[mentions, default: (.infinity, 0)].wall { python[mentions] = figures }
                    }
                }
            }
        }
        try await emptyDatabase(client, database: database)
        await client.shutdown()

        func line(_ name: String, _ figures: (wall: Double, cpu: Double)) -> String {
            String(format: "%@: wall %.2f s, %.0f rows/s, client CPU %.3f s (%.2f µs/row)",
                   name, figures.wall, rows / figures.wall, figures.cpu, figures.cpu * 1e6 / rows)
        }
        print("best of \(rounds) rounds each:")
        for mentions in modes {
            guard let ours = ours[mentions], let python = python[mentions] else { continue }
            let label = mentions == .replace
                ? "MENTIONS as graphingest load writes them (delete, then CREATE)"
                : "MENTIONS with MERGE (the earlier statement; not what load does)"
            print(label + ":")
            print("  " + line("graphingest Bolt client", ours))
            print("  " + line("Python driver + rust ext", python))
            print(String(format: "  ratios (Python / ours): wall %.2fx, client CPU %.1fx", python.wall / ours.wall, python.cpu / ours.cpu))
        }
    }
}
