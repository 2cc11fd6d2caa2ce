import Foundation
import IntegrationSupport

/// A small corpus written for the lexical-graph tests, with a gazetteer of its own (the demo's
/// format), in a temporary folder. Each sentence is shorter than ``chunkSize`` and any two
/// together are longer, so with `--chunk-size 60` every sentence is a chunk of its own and the
/// ranking below is known in advance.
struct ContextCorpus {
    static let chunkSize = 60

    /// Per file, its sentences (the chunks, in index order).
    static let documents: [(name: String, sentences: [String])] = [
        ("a.txt", [
            "Paris is the capital of France and its largest city. ",  // Paris, France (2 entities, 2 mentions)
            "Berlin has many museums and a long history. ",            // Berlin only
            "Paris hosts a fashion week in Paris every year. ",        // Paris twice (1 entity, 2 mentions)
        ]),
        ("b.txt", [
            "Rome and Paris have been twinned since 1956. ",           // Rome, Paris (1 question entity, 1 mention)
            "France borders Spain, Italy and Belgium. ",               // France (1, 1)
            "Paris, France: Paris again, and Paris once more.\n",      // Paris 3, France 1 (2 entities, 4 mentions)
        ]),
        ("c.txt", [
            "東京は日本の首都です。",
            "ベルリンはドイツの首都です。",
        ]),
    ]

    static let gazetteerText = """
        id\tname\ttype\taliases
        geo:paris\tParis\tCity\tParis|パリ
        geo:berlin\tBerlin\tCity\tBerlin|ベルリン
        geo:rome\tRome\tCity\tRome
        geo:tokyo\tTokyo\tCity\tTokyo|東京
        geo:oslo\tOslo\tCity\tOslo
        country:fr\tFrance\tCountry\tFrance
        country:de\tGermany\tCountry\tGermany|ドイツ

        """

    /// The expected ranking for a question naming Paris and France: (file, chunk index).
    static let parisFranceRanking: [(String, Int)] = [("b.txt", 2), ("a.txt", 0), ("a.txt", 2), ("b.txt", 0), ("b.txt", 1)]

    let folder: URL
    var corpus: String { folder.appendingPathComponent("corpus").path }
    var gazetteer: String { folder.appendingPathComponent("gazetteer.tsv").path }

    static func make() throws -> ContextCorpus {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-context-\(UUID().uuidString)")
        let corpus = folder.appendingPathComponent("corpus")
        try FileManager.default.createDirectory(at: corpus, withIntermediateDirectories: true)
        for document in documents {
            try document.sentences.joined().write(to: corpus.appendingPathComponent(document.name), atomically: true, encoding: .utf8)
        }
        try gazetteerText.write(to: folder.appendingPathComponent("gazetteer.tsv"), atomically: true, encoding: .utf8)
        return ContextCorpus(folder: folder)
    }

    func remove() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Writes the corpus, makes scratch databases, runs `init` and `ingest` (which must
    /// succeed), then `body` with the corpus, the databases and the ingest's `--json` summary;
    /// removes all of it afterwards.
    static func withIngested(_ label: String, _ body: (ContextCorpus, ScratchServers, [String: Any]) throws -> Void) throws {
        let servers = try ScratchServers.make(label)
        defer { servers.drop() }
        let corpus = try make()
        defer { corpus.remove() }
        let ingested = try corpus.ingest(into: servers)
        guard ingested.status == 0, let summary = try? JSONSerialization.jsonObject(with: Data(ingested.stdout.utf8)) as? [String: Any] else {
            throw Shell.Failure(description: "ingest of the context corpus exited \(ingested.status): \(ingested.stderr)")
        }
        try body(corpus, servers, summary)
    }

    /// `init`, then `ingest` of the corpus with ``chunkSize``; returns the ingest's output.
    func ingest(into servers: ScratchServers) throws -> Shell.Output {
        let initialized = try Shell.execute(IntegrationEnvironment.graphingest, ["init"], environment: servers.environment)
        guard initialized.status == 0 else { return initialized }
        return try Shell.execute(IntegrationEnvironment.graphingest, [
            "ingest", corpus, "--gazetteer", gazetteer, "--chunk-size", String(Self.chunkSize), "--quiet", "--json",
        ], environment: servers.environment)
    }

    /// `graphingest context` on these servers with this corpus's gazetteer.
    func context(_ arguments: [String], _ servers: ScratchServers) throws -> Shell.Output {
        try Shell.execute(IntegrationEnvironment.graphingest, ["context"] + arguments + ["--gazetteer", gazetteer],
                          environment: servers.environment)
    }
}
