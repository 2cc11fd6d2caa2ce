import Foundation

/// A report a language model wrote for a community (a `--load-reports` line): the text a global
/// retriever reads instead of the extractive title and summary, for the member set it was written
/// for.
public struct CommunityReport: Sendable, Hashable {
    public var communityID: String
    /// SHA-256 of the member keys the report was written for (the export's `members_sha256`).
    public var membersSHA256: String
    public var title: String
    public var summary: String
    /// The model's rating of the community's importance, if it gave one.
    public var rank: Double?
    /// A vector another tool computed for the summary, if any.
    public var embedding: [Double]?

    public init(communityID: String, membersSHA256: String, title: String, summary: String, rank: Double? = nil, embedding: [Double]? = nil) {
        self.communityID = communityID
        self.membersSHA256 = membersSHA256
        self.title = title
        self.summary = summary
        self.rank = rank
        self.embedding = embedding
    }
}

/// How many communities have a current report, and how many reports are stale.
public struct CommunityReportCounts: Sendable, Hashable, Codable {
    public var communities = 0
    /// Reports whose community still has the members they were written for.
    public var current = 0
    /// Reports whose community's members changed since (its id or hash is gone).
    public var stale = 0

    public init() {}
}

extension RegistryStore {
    /// The current reports: those whose community exists with the member hash they were written
    /// for, by community id.
    public func currentCommunityReports() async throws -> [String: CommunityReport] {
        let query = sql("""
            SELECT r.community_id, r.members_sha256, r.title, r.summary, r.rank, r.embedding::text
            FROM {schema}.community_reports r JOIN {schema}.communities c
              ON c.id = r.community_id AND c.members_sha256 = r.members_sha256
            """)
        let reports = try await transaction("currentCommunityReports", idempotent: true) { connection in
            try connection.query(query, operation: "currentCommunityReports") { row in
                CommunityReport(communityID: try row.decode(0), membersSHA256: try row.decode(1), title: try row.decode(2),
                                summary: try row.decode(3), rank: try row.decode(4),
                                embedding: try row.decode(5, as: String?.self).map(Self.numbers(inJSONArray:)))
            }
        }
        return Dictionary(reports.map { ($0.communityID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Stores reports (replacing earlier ones of the same communities), and makes their title and
    /// summary the communities' own in the registry's record; clears the mark of a community
    /// write (``beginCommunityWrite()``), set before the reports went to the graph. Safe to repeat.
    public func storeCommunityReports(_ reports: [CommunityReport]) async throws {
        guard !reports.isEmpty else { return }
        let upsert = sql("""
            INSERT INTO {schema}.community_reports AS r (community_id, members_sha256, title, summary, rank, embedding)
            SELECT u.id, u.sha, u.title, u.summary, u.rank, u.embedding::jsonb
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[])
                AS u(id, sha, title, summary, rank, embedding)
            ON CONFLICT (community_id) DO UPDATE SET members_sha256 = excluded.members_sha256, title = excluded.title,
                summary = excluded.summary, rank = excluded.rank, embedding = excluded.embedding, loaded_at = now()
            """)
        let text = sql("""
            UPDATE {schema}.communities c SET title = u.title, summary = u.summary
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, sha, title, summary)
            WHERE c.id = u.id AND c.members_sha256 = u.sha
            """)
        let ids = reports.map(\.communityID), hashes = reports.map(\.membersSHA256)
        let titles = reports.map(\.title), summaries = reports.map(\.summary)
        let embeddings: [String?] = reports.map { report in
            report.embedding.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }
        }
        let parameters: [any PostgresParameter] = [ids, hashes, titles, summaries, reports.map(\.rank), embeddings]
        let clean = sql("DELETE FROM {schema}.settings WHERE name = $1")
        try await transaction("storeCommunityReports", idempotent: true) { connection in
            _ = try connection.execute(clean, [Self.communitiesWritingSetting], operation: "storeCommunityReports")
            _ = try connection.execute(upsert, parameters, operation: "storeCommunityReports")
            _ = try connection.execute(text, [ids, hashes, titles, summaries], operation: "storeCommunityReports")
        }
    }

    /// The numbers of a JSON array of numbers as PostgreSQL prints it (`[1, 2.5]`).
    static func numbers(inJSONArray text: String) -> [Double] {
        text.dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Communities, current reports and stale reports.
    public func communityReportCounts() async throws -> CommunityReportCounts {
        let query = sql("""
            SELECT (SELECT count(*) FROM {schema}.communities),
                   (SELECT count(*) FROM {schema}.community_reports r JOIN {schema}.communities c
                      ON c.id = r.community_id AND c.members_sha256 = r.members_sha256),
                   (SELECT count(*) FROM {schema}.community_reports r WHERE NOT EXISTS (
                      SELECT 1 FROM {schema}.communities c WHERE c.id = r.community_id AND c.members_sha256 = r.members_sha256))
            """)
        let rows = try await transaction("communityReportCounts", idempotent: true) { connection in
            try connection.query(query, operation: "communityReportCounts") { row in
                var counts = CommunityReportCounts()
                counts.communities = try row.decode(0, as: Int.self)
                counts.current = try row.decode(1, as: Int.self)
                counts.stale = try row.decode(2, as: Int.self)
                return counts
            }
        }
        return rows.first ?? CommunityReportCounts()
    }

    /// The key, name and type of the given entities.
    public func entityFacts(ids: [Int64]) async throws -> [Int64: (key: String, name: String, type: String)] {
        let query = sql("SELECT id, key, name, type FROM {schema}.entities WHERE id = ANY($1::bigint[])")
        var facts: [Int64: (key: String, name: String, type: String)] = [:]
        for batch in batches(ids) {
            let ids = Array(batch)
            let rows = try await transaction("entityFacts", idempotent: true) { connection in
                try connection.query(query, [ids], operation: "entityFacts") {
                    (try $0.decode(0, as: Int64.self), try $0.decode(1, as: String.self), try $0.decode(2, as: String.self), try $0.decode(3, as: String.self))
                }
            }
            for (id, key, name, type) in rows { facts[id] = (key, name, type) }
        }
        return facts
    }
}
