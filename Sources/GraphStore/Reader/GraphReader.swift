package import Bolt
import PackStream

/// Reads the graph model: for the consistency check, one range of ids at a time (one streaming
/// query per kind of thing; records arrive a fetch-size batch at a time, `PULL {n}`; never a
/// round trip per document), and the chunks a question leads to (`graphingest context`).
///
/// Each read runs in one managed read transaction; a retried attempt starts its collection
/// afresh.
public struct GraphReader: Sendable {
    /// The client to read through; the caller owns its lifetime.
    package let client: BoltClient
    /// The database to read (nil for the server's default).
    public let database: String?

    package init(client: BoltClient, database: String?) {
        self.client = client
        self.database = database
    }

    /// The element ids of MENTIONS whose ends are not a Document and an Entity.
    public func danglingMentions() async throws -> [String] {
        try await collect(GraphCypher.readDanglingMentions) { record in
            record[0].stringValue ?? record[0].intValue.map(String.init)
        }
    }

    /// The constraints the server lists, in the dialect's own statement (`SHOW CONSTRAINTS` in
    /// Neo4j 5 and ArcadeDB, `SHOW CONSTRAINT INFO` in Memgraph).
    public func constraints(dialect: GraphDialect) async throws -> [GraphConstraint] {
        let listing = dialect.constraintListing
        return try await collect(listing.statement) { record in
            func strings(_ key: String) -> [String] {
                guard let value = record[key] else { return [] }
                if let list = value.listValue { return list.compactMap(\.stringValue) }
                return value.stringValue.map { [$0] } ?? []
            }
            return GraphConstraint(
                name: record["name"]?.stringValue ?? "", type: record[listing.type]?.stringValue ?? "",
                labels: strings(listing.labels), properties: strings(listing.properties))
        }
    }

    /// Runs `query` in a read transaction and maps its records as they stream in; nil drops one.
    func collect<Row: Sendable>(
        _ query: String, parameters: [String: PackStreamParameter] = [:], _ transform: @escaping @Sendable (BoltRecord) -> Row?
    ) async throws -> [Row] {
        try await client.withSession(database: database) { session in
            try await session.executeRead { transaction in
                var rows: [Row] = []
                for try await record in try await transaction.run(query, parameters: parameters) {
                    if let row = transform(record) { rows.append(row) }
                }
                return rows
            }
        }
    }
}
