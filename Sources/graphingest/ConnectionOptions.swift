import ArgumentParser
import Ingest

/// The options every server-facing command shares. The Bolt password is read only from
/// `GRAPHINGEST_BOLT_PASSWORD`: a flag would show it in `ps`.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Bolt URI (bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://); env GRAPHINGEST_BOLT_URI.")
    var bolt: String?

    @Option(help: "Bolt user; env GRAPHINGEST_BOLT_USER.")
    var user: String?

    @Option(help: "Graph database name; env GRAPHINGEST_DATABASE.")
    var database: String?

    @Option(help: "PostgreSQL conninfo or URL; env GRAPHINGEST_POSTGRES, else libpq's PG* variables.")
    var postgres: String?

    @Option(help: "Graph dialect: auto, neo4j, arcadedb, memgraph or falkordb.")
    var dialect: String = "auto"
}

/// The options of the commands that read and extract a corpus.
struct ExtractionOptions: ParsableArguments {
    @Argument(help: "Files or folders to read.")
    var paths: [String] = []

    @Option(help: "Gazetteer (TSV or JSONL).")
    var gazetteer: String?

    @Option(help: "Rules (TSV: type, pattern, key).")
    var rules: String?
}

/// Says that a command is not built yet and exits 2 (never a fake success).
func notImplemented(_ command: String) throws -> Never {
    printError("graphingest \(command): not implemented yet")
    throw ExitCode(IngestExitCode.usage.rawValue)
}
