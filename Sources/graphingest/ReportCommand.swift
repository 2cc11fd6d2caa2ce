import ArgumentParser
import Foundation
import Ingest
import Logging
import Report

/// `graphingest report --out FILE.html [--top N] [--json]`: one self-contained HTML page of what
/// was ingested, from the registry.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write one self-contained HTML page of what was ingested.",
        discussion: """
        Reads the registry and writes FILE: the corpus's figures, the runs with the time of each \
        stage, the top entities by mentions and by relations, the co-occurrence network of the top \
        entities (laid out by igraph, deterministically: the same graph gives the same file), the coarsest \
        communities, the chunk-size and mentions-per-document distributions, and the open dead \
        letters. CSS and SVG are inline; the page loads nothing. Every list holds at most --top \
        items and the network at most 4 x --top relations, so the page's size depends on --top, \
        not on the corpus.
        """)
    @OptionGroup var connection: ConnectionOptions
    @Option(help: ArgumentHelp("The HTML file to write.", valueName: "file")) var out: String
    @Option(help: ArgumentHelp("How many items each list holds (1-\(ReportTop.maximum)).", valueName: "n")) var top = ReportTop(40)
    @Flag(help: "Print what was written as JSON on stdout.") var json = false

    /// What `--json` prints.
    struct Summary: Encodable {
        var path: String
        var bytes: Int
        var top: Int
        var nodes: Int
        var edges: Int
        var omittedEdges: Int
        var communities: Int
        var runs: Int
        var deadLetters: Int

        enum CodingKeys: String, CodingKey {
            case path, bytes, top, nodes, edges, communities, runs
            case omittedEdges = "omitted_edges", deadLetters = "dead_letters"
        }
    }

    func run() async throws {
        try await CommandRunner.run("report", connection: connection) { servers in
            let data = try await ReportJob(registry: servers.registry, top: top.count).run()
            let page = Data(ReportRenderer().render(data).utf8)
            do {
                // Not atomic: a symbolic link at FILE is followed, not replaced.
                try page.write(to: URL(fileURLWithPath: out))
            } catch {
                printError("graphingest report: cannot write \(out): \(error.localizedDescription)", level: .error)
                return .usage
            }
            let summary = Summary(path: out, bytes: page.count, top: top.count, nodes: data.network.nodes.count,
                                  edges: data.network.edges.count, omittedEdges: data.network.omittedEdges, communities: data.communities.count,
                                  runs: data.runs.count, deadLetters: data.deadLetters.count)
            printError("report: wrote \(out) (\(page.count) bytes; \(summary.nodes) entities and \(summary.edges) relations in the network)")
            if json { JSONOutput.print(summary) }
            return .success
        }
    }
}
