import ArgumentParser
import Ingest

/// Where the graph database is. The Bolt password is read only from
/// `GRAPHINGEST_BOLT_PASSWORD` (a flag would show it in `ps`); `GRAPHINGEST_BOLT_TOKEN` logs in
/// with a bearer token instead.
struct GraphOptions: ParsableArguments {
    @Option(help: "Bolt URI (bolt://, bolt+s://, bolt+ssc://, neo4j://, neo4j+s://); env GRAPHINGEST_BOLT_URI.")
    var bolt: String?

    @Option(help: "Bolt user; env GRAPHINGEST_BOLT_USER.")
    var user: String?

    @Option(help: "Graph database name; env GRAPHINGEST_DATABASE.")
    var database: String?
}

/// The options every command that uses both servers shares.
struct ConnectionOptions: ParsableArguments {
    @OptionGroup var graph: GraphOptions

    @Option(help: "PostgreSQL conninfo or URL; env GRAPHINGEST_POSTGRES, else libpq's PG* variables.")
    var postgres: String?

    @Option(help: "Graph dialect: auto, neo4j, arcadedb or memgraph.")
    var dialect: DialectChoice = .auto
}
