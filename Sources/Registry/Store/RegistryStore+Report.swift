/// What `graphingest report` reads from the registry beyond `status`'s figures: distributions,
/// the top entities, the network's entities and the relations between them, and the coarsest communities. Every list is cut
/// to `top` items by the server, so what is read does not grow with the corpus.
public struct RegistryReport: Sendable {
    /// Documents of one status and the sum of their bytes.
    public struct Status: Sendable, Hashable {
        public var status: DocumentStatus
        public var documents: Int
        public var bytes: Int
    }

    /// An entity with its corpus figures: mentions, documents that mention it, and its
    /// CO_OCCURS_WITH relations (pairs at the threshold).
    public struct Entity: Sendable, Hashable {
        public var id: Int64
        public var key: String
        public var name: String
        public var type: String
        public var mentions: Int
        public var documents: Int
        public var degree: Int
    }

    /// A pair at the threshold: a CO_OCCURS_WITH relation and its count.
    public struct Relation: Sendable, Hashable {
        public var a: Int64
        public var b: Int64
        public var count: Int
    }

    /// A community of the coarsest level with its members with the most mentions.
    public struct Community: Sendable, Hashable {
        public var id: String
        public var level: Int
        public var size: Int
        public var documents: Int
        public var title: String
        public var summary: String
        public var members: [String]
    }

    public var statuses: [Status] = []
    /// Chunk size (code points) -> chunks of that size.
    public var chunkSizes: [Int: Int] = [:]
    /// Mentions in a loaded document -> loaded documents with that many.
    public var mentionsPerDocument: [Int: Int] = [:]
    /// Entities per type, the most first (ties by type).
    public var entityTypes: [(type: String, entities: Int)] = []
    /// The entities with the most mentions, and with the most relations (ties by key).
    public var topByMentions: [Entity] = []
    public var topByDegree: [Entity] = []
    /// The network's entities: those with the most mentions among the entities with a relation
    /// (an entity without one would float alone in the picture).
    public var network: [Entity] = []
    /// The relations between the entities of `network`, strongest first (ties by pair).
    public var relations: [Relation] = []
    /// The coarsest community of each entity of `network` that has one.
    public var coarsestCommunity: [Int64: String] = [:]
    /// Communities per level.
    public var communityLevels: [Int: Int] = [:]
    /// The coarsest level's communities with the most documents (ties by size, then id).
    public var communities: [Community] = []

    public init() {}
}

extension RegistryStore {
    /// Reads the report's figures in one repeatable-read transaction (one snapshot), lists cut
    /// at `top` items, with relations at `minimumCount` and `members` members per community.
    public func report(top: Int, minimumCount: Int, members: Int = 8) async throws -> RegistryReport {
        try await transaction("report", idempotent: true) { connection in
            _ = try connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY", operation: "report")
            var report = RegistryReport()
            try self.readCorpus(into: &report, top: top, connection)
            let threshold = Int64(max(1, minimumCount))
            let byMentions = try self.topEntityIDs(.mentions, top: top, threshold: threshold, connection)
            let byDegree = try self.topEntityIDs(.degree, top: top, threshold: threshold, connection)
            let linked = try self.topEntityIDs(.linkedMentions, top: top, threshold: threshold, connection)
            let entities = try self.entityFigures(ids: Array(Set(byMentions + byDegree + linked)), threshold: threshold, connection)
            report.topByMentions = byMentions.compactMap { entities[$0] }
            report.topByDegree = byDegree.compactMap { entities[$0] }
            report.network = linked.compactMap { entities[$0] }
            report.relations = try self.relations(among: linked, threshold: threshold, connection)
            report.coarsestCommunity = try self.coarsestCommunities(of: linked, connection)
            try self.readCommunities(into: &report, top: top, members: members, connection)
            return report
        }
    }

    /// Statuses, distributions and entity types.
    private func readCorpus(into report: inout RegistryReport, top: Int, _ connection: isolated PostgresConnection) throws {
        report.statuses = try connection.query(
            sql("SELECT status, count(*), coalesce(sum(bytes), 0)::bigint FROM {schema}.documents GROUP BY status ORDER BY status"),
            operation: "report"
        ) { RegistryReport.Status(status: try $0.decode(0), documents: try $0.decode(1), bytes: try $0.decode(2)) }
        let sizes = sql("SELECT (end_offset - start_offset)::bigint, count(*) FROM {schema}.document_chunks GROUP BY 1")
        report.chunkSizes = try frequencies(sizes, [], connection)
        let mentions = sql("""
            SELECT coalesce(m.total, 0)::bigint, count(*) FROM {schema}.documents d
            LEFT JOIN (SELECT document_id, sum(count) AS total FROM {schema}.document_mentions GROUP BY document_id) m ON m.document_id = d.id
            WHERE d.status = 'loaded' GROUP BY 1
            """)
        report.mentionsPerDocument = try frequencies(mentions, [], connection)
        report.entityTypes = try connection.query(
            sql("SELECT type, count(*) FROM {schema}.entities GROUP BY type ORDER BY count(*) DESC, type LIMIT $1"), [Int64(top)],
            operation: "report"
        ) { (type: try $0.decode(0, as: String.self), entities: try $0.decode(1, as: Int.self)) }
    }

    /// Rows of (value, count) as a dictionary.
    private func frequencies(_ query: String, _ parameters: [any PostgresParameter], _ connection: isolated PostgresConnection) throws -> [Int: Int] {
        let rows = try connection.query(query, parameters, operation: "report") { (try $0.decode(0, as: Int.self), try $0.decode(1, as: Int.self)) }
        return Dictionary(rows, uniquingKeysWith: +)
    }

    /// How a list of top entities is ranked.
    private enum Ranking {
        /// By mentions; by relations; by mentions among the entities with a relation.
        case mentions, degree, linkedMentions
    }

    /// The ids of the `top` entities by `ranking`, ties by key.
    private func topEntityIDs(_ ranking: Ranking, top: Int, threshold: Int64, _ connection: isolated PostgresConnection) throws -> [Int64] {
        let ends = """
            SELECT entity_a AS id FROM {schema}.pair_totals WHERE count >= $2 UNION ALL SELECT entity_b FROM {schema}.pair_totals WHERE count >= $2
            """
        let mentions = "SELECT entity_id AS id, sum(count) AS n FROM {schema}.document_mentions GROUP BY entity_id"
        let figures = switch ranking {
        case .mentions: mentions
        case .degree: "SELECT id, count(*) AS n FROM (\(ends)) p GROUP BY id"
        case .linkedMentions: "SELECT m.id, m.n FROM (\(mentions)) m WHERE m.id IN (\(ends))"
        }
        let query = sql("SELECT f.id FROM (\(figures)) f JOIN {schema}.entities e ON e.id = f.id ORDER BY f.n DESC, e.key LIMIT $1")
        let parameters: [any PostgresParameter] = ranking == .mentions ? [Int64(top)] : [Int64(top), threshold]
        return try connection.query(query, parameters, operation: "report") { try $0.decode(0, as: Int64.self) }
    }

    /// Key, name, type, mentions, documents and relations of each of `ids`.
    private func entityFigures(ids: [Int64], threshold: Int64, _ connection: isolated PostgresConnection) throws -> [Int64: RegistryReport.Entity] {
        guard !ids.isEmpty else { return [:] }
        let query = sql("""
            WITH ids AS (SELECT unnest($1::bigint[]) AS id),
            m AS (SELECT entity_id, sum(count)::bigint AS mentions, count(*) AS documents FROM {schema}.document_mentions
                  WHERE entity_id = ANY($1::bigint[]) GROUP BY entity_id),
            d AS (SELECT id, count(*) AS degree FROM (
                    SELECT entity_a AS id FROM {schema}.pair_totals WHERE count >= $2 AND entity_a = ANY($1::bigint[])
                    UNION ALL SELECT entity_b FROM {schema}.pair_totals WHERE count >= $2 AND entity_b = ANY($1::bigint[])) p GROUP BY id)
            SELECT e.id, e.key, e.name, e.type, coalesce(m.mentions, 0), coalesce(m.documents, 0), coalesce(d.degree, 0)
            FROM ids JOIN {schema}.entities e ON e.id = ids.id LEFT JOIN m ON m.entity_id = e.id LEFT JOIN d ON d.id = e.id
            """)
        let rows = try connection.query(query, [ids, threshold], operation: "report") { row in
            RegistryReport.Entity(id: try row.decode(0), key: try row.decode(1), name: try row.decode(2), type: try row.decode(3),
                                  mentions: try row.decode(4), documents: try row.decode(5), degree: try row.decode(6))
        }
        return Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The pairs at the threshold between two of `ids`, strongest first.
    private func relations(among ids: [Int64], threshold: Int64, _ connection: isolated PostgresConnection) throws -> [RegistryReport.Relation] {
        let query = sql("""
            SELECT entity_a, entity_b, count FROM {schema}.pair_totals
            WHERE entity_a = ANY($1::bigint[]) AND entity_b = ANY($1::bigint[]) AND count >= $2
            ORDER BY count DESC, entity_a, entity_b
            """)
        return try connection.query(query, [ids, threshold], operation: "report") {
            RegistryReport.Relation(a: try $0.decode(0), b: try $0.decode(1), count: try $0.decode(2))
        }
    }

    /// Each entity's community on the coarsest level: its level-0 community's top ancestor.
    private func coarsestCommunities(of ids: [Int64], _ connection: isolated PostgresConnection) throws -> [Int64: String] {
        let query = sql("""
            WITH RECURSIVE up AS (
                SELECT m.entity_id, c.id, c.parent_id FROM {schema}.community_members m
                JOIN {schema}.communities c ON c.id = m.community_id WHERE m.entity_id = ANY($1::bigint[])
                UNION ALL
                SELECT up.entity_id, p.id, p.parent_id FROM up JOIN {schema}.communities p ON p.id = up.parent_id)
            SELECT entity_id, id FROM up WHERE parent_id IS NULL
            """)
        let rows = try connection.query(query, [ids], operation: "report") { (try $0.decode(0, as: Int64.self), try $0.decode(1, as: String.self)) }
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// Communities per level, and the coarsest level's `top` communities with their members.
    private func readCommunities(into report: inout RegistryReport, top: Int, members: Int, _ connection: isolated PostgresConnection) throws {
        report.communityLevels = try frequencies(sql("SELECT level, count(*) FROM {schema}.communities GROUP BY level"), [], connection)
        let query = sql("""
            SELECT id, level, size, community_rank, title, summary FROM {schema}.communities WHERE parent_id IS NULL
            ORDER BY community_rank DESC, size DESC, id LIMIT $1
            """)
        report.communities = try connection.query(query, [Int64(top)], operation: "report") { row in
            RegistryReport.Community(id: try row.decode(0), level: try row.decode(1), size: try row.decode(2), documents: try row.decode(3),
                                     title: try row.decode(4), summary: try row.decode(5), members: [])
        }
        let names = try communityMembers(of: report.communities.map(\.id), limit: members, connection)
        for index in report.communities.indices { report.communities[index].members = names[report.communities[index].id] ?? [] }
    }

    /// Up to `limit` members of each community (on any level below it), the most mentioned
    /// first (ties by key).
    private func communityMembers(of ids: [String], limit: Int, _ connection: isolated PostgresConnection) throws -> [String: [String]] {
        guard !ids.isEmpty else { return [:] }
        let query = sql("""
            WITH RECURSIVE down AS (
                SELECT id AS top, id FROM {schema}.communities WHERE id = ANY($1::text[])
                UNION ALL
                SELECT down.top, c.id FROM down JOIN {schema}.communities c ON c.parent_id = down.id),
            ranked AS (
                SELECT down.top, e.name, row_number() OVER (PARTITION BY down.top ORDER BY coalesce(m.mentions, 0) DESC, e.key) AS n
                FROM down JOIN {schema}.community_members cm ON cm.community_id = down.id
                JOIN {schema}.entities e ON e.id = cm.entity_id
                LEFT JOIN (SELECT entity_id, sum(count) AS mentions FROM {schema}.document_mentions GROUP BY entity_id) m ON m.entity_id = e.id)
            SELECT top, name FROM ranked WHERE n <= $2 ORDER BY top, n
            """)
        let rows = try connection.query(query, [ids, Int64(limit)], operation: "report") { (try $0.decode(0, as: String.self), try $0.decode(1, as: String.self)) }
        return Dictionary(grouping: rows, by: \.0).mapValues { $0.map(\.1) }
    }
}
