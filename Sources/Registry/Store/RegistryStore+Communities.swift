import Foundation

/// One CO_OCCURS_WITH edge as the communities read it: both entities' ids and keys, and the
/// pair's count.
public struct CommunityEdgeRecord: Sendable, Hashable {
    public var a: Int64
    public var b: Int64
    public var keyA: String
    public var keyB: String
    public var count: Int64
}

/// A community as the registry keeps it: what its `__Community__` node holds, and the hash of its
/// member keys.
public struct CommunityRecord: Sendable, Hashable {
    public var id: String
    public var level: Int
    /// The community one level up that contains it (nil on the top level).
    public var parentID: String?
    public var size: Int
    /// SHA-256 (hex) of the sorted member keys, one per line: what a report was written for.
    public var membersSHA256: String
    /// Distinct chunks that mention its entities.
    public var weight: Int64
    /// Distinct documents that mention its entities.
    public var rank: Int64
    public var title: String
    public var summary: String
    /// The excerpts of its central passages its extractive summary quotes, the most central
    /// first (nil when not known: a record from the graph, or from before migration 13). Kept so
    /// that a community whose members' chunks did not change is described again without them.
    public var passages: [String]?

    public init(id: String, level: Int, parentID: String?, size: Int, membersSHA256: String, weight: Int64, rank: Int64,
                title: String, summary: String, passages: [String]? = nil) {
        self.id = id
        self.level = level
        self.parentID = parentID
        self.size = size
        self.membersSHA256 = membersSHA256
        self.weight = weight
        self.rank = rank
        self.title = title
        self.summary = summary
        self.passages = passages
    }
}

/// The communities the registry records, and each entity's finest community.
public struct CommunitySnapshot: Sendable, Hashable {
    public var communities: [CommunityRecord] = []
    /// Entity id → its community on level 0.
    public var memberships: [Int64: String] = [:]
    /// Whether an earlier write of communities to the graph stopped half-way (the graph may
    /// hold links these rows do not record).
    public var writeInterrupted = false

    public init(communities: [CommunityRecord] = [], memberships: [Int64: String] = [:], writeInterrupted: Bool = false) {
        self.communities = communities
        self.memberships = memberships
        self.writeInterrupted = writeInterrupted
    }
}

extension RegistryStore {
    /// The pairs at `minimumCount` or more (the CO_OCCURS_WITH edges), with their entities' keys,
    /// in pair order, one page after `after`.
    public func communityEdges(atLeast minimumCount: Int, after: EntityPair? = nil, limit: Int = 100_000) async throws -> [CommunityEdgeRecord] {
        let start = after ?? EntityPair(Int64.min, Int64.min)
        let query = sql("""
            SELECT t.entity_a, t.entity_b, a.key, b.key, t.count FROM {schema}.pair_totals t
            JOIN {schema}.entities a ON a.id = t.entity_a JOIN {schema}.entities b ON b.id = t.entity_b
            WHERE t.count >= $3 AND (t.entity_a, t.entity_b) > ($1, $2)
            ORDER BY t.entity_a, t.entity_b LIMIT $4
            """)
        return try await transaction("communityEdges", idempotent: true) { connection in
            try connection.query(query, [start.a, start.b, Int64(max(1, minimumCount)), Int64(limit)], operation: "communityEdges") { row in
                CommunityEdgeRecord(a: try row.decode(0), b: try row.decode(1), keyA: try row.decode(2), keyB: try row.decode(3),
                                    count: try row.decode(4))
            }
        }
    }

    /// Every pair at `minimumCount` or more, page by page.
    public func allCommunityEdges(atLeast minimumCount: Int) async throws -> [CommunityEdgeRecord] {
        var edges: [CommunityEdgeRecord] = []
        var after: EntityPair?
        while true {
            let page = try await communityEdges(atLeast: minimumCount, after: after)
            edges += page
            guard let last = page.last, page.count == 100_000 else { return edges }
            after = EntityPair(last.a, last.b)
        }
    }

    /// The names of the given entities.
    public func entityNames(ids: [Int64]) async throws -> [Int64: String] {
        let query = sql("SELECT id, name FROM {schema}.entities WHERE id = ANY($1::bigint[])")
        var names: [Int64: String] = [:]
        for batch in batches(ids) {
            let ids = Array(batch)
            let rows = try await transaction("entityNames", idempotent: true) { connection in
                try connection.query(query, [ids], operation: "entityNames") { (try $0.decode(0, as: Int64.self), try $0.decode(1, as: String.self)) }
            }
            for (id, name) in rows { names[id] = name }
        }
        return names
    }

    /// For each group of entities (a community's members), the distinct documents whose mention
    /// snapshots name one of them; one statement.
    public func documentCounts(of groups: [String: [Int64]]) async throws -> [String: Int64] {
        let rows = groups.flatMap { group, members in members.map { (group, $0) } }
        guard !rows.isEmpty else { return [:] }
        let table = "graphingest_community_members"
        let count = sql("""
            SELECT t.grp, count(DISTINCT m.document_id) FROM pg_temp.\(table) t
            JOIN {schema}.document_mentions m ON m.entity_id = t.entity_id
            GROUP BY t.grp
            """)
        let counted = try await transaction("documentCounts", idempotent: true) { connection in
            try connection.ensureTemporaryTable(table, columns: "grp text, entity_id bigint", operation: "documentCounts")
            try connection.copyIn("COPY pg_temp.\(table) (grp, entity_id) FROM STDIN", rows: rows, operation: "documentCounts") { writer, row in
                writer.append(row.0)
                writer.append(row.1)
            }
            return try connection.query(count, operation: "documentCounts") { (try $0.decode(0, as: String.self), try $0.decode(1, as: Int64.self)) }
        }
        return Dictionary(counted, uniquingKeysWith: { first, _ in first })
    }

    /// The communities and memberships the registry records.
    public func communitySnapshot() async throws -> CommunitySnapshot {
        let communities = sql("""
            SELECT id, level, parent_id, size, members_sha256, weight, community_rank, title, summary, passages
            FROM {schema}.communities ORDER BY id
            """)
        let members = sql("SELECT entity_id, community_id FROM {schema}.community_members")
        let writing = sql("SELECT 1 FROM {schema}.settings WHERE name = $1")
        return try await transaction("communitySnapshot", idempotent: true) { connection in
            let interrupted = try !connection.query(writing, [Self.communitiesWritingSetting], operation: "communitySnapshot") { _ in 1 }.isEmpty
            let records = try connection.query(communities, operation: "communitySnapshot") { row in
                CommunityRecord(id: try row.decode(0), level: Int(try row.decode(1, as: Int64.self)), parentID: try row.decode(2),
                                size: Int(try row.decode(3, as: Int64.self)), membersSHA256: try row.decode(4), weight: try row.decode(5),
                                rank: try row.decode(6), title: try row.decode(7), summary: try row.decode(8),
                                passages: Self.passages(try row.decode(9, as: String?.self)))
            }
            let memberships = try connection.query(members, operation: "communitySnapshot") {
                (try $0.decode(0, as: Int64.self), try $0.decode(1, as: String.self))
            }
            return CommunitySnapshot(communities: records, memberships: Dictionary(memberships, uniquingKeysWith: { first, _ in first }),
                                     writeInterrupted: interrupted)
        }
    }

    /// The `passages` column: excerpts one per line (an excerpt is one line), null when unknown.
    static func passages(_ column: String?) -> [String]? {
        column.map { $0.isEmpty ? [] : $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Records a change of the communities in one transaction: removes the communities and
    /// memberships named, then writes the records and memberships given (replacing those with
    /// the same id or entity), and consumes the community marks `marks` (what the records were
    /// computed with). Safe to repeat.
    public func recordCommunities(upserting records: [CommunityRecord], removing removed: [String],
                                  memberships: [(entityID: Int64, communityID: String)], removingMembersOf entities: [Int64],
                                  consumingMarks marks: [Int64] = []) async throws {
        let deleteCommunities = sql("DELETE FROM {schema}.communities WHERE id = ANY($1::text[])")
        let deleteMembers = sql("DELETE FROM {schema}.community_members WHERE entity_id = ANY($1::bigint[])")
        let upsert = sql("""
            INSERT INTO {schema}.communities AS c (id, level, parent_id, size, members_sha256, weight, community_rank, title, summary, passages)
            SELECT * FROM unnest($1::text[], $2::integer[], $3::text[], $4::integer[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[],
                                 $10::text[])
            ON CONFLICT (id) DO UPDATE SET level = excluded.level, parent_id = excluded.parent_id, size = excluded.size,
                members_sha256 = excluded.members_sha256, weight = excluded.weight, community_rank = excluded.community_rank,
                title = excluded.title, summary = excluded.summary, passages = excluded.passages
            """)
        let insertMembers = sql("""
            INSERT INTO {schema}.community_members (entity_id, community_id)
            SELECT * FROM unnest($1::bigint[], $2::text[])
            ON CONFLICT (entity_id) DO UPDATE SET community_id = excluded.community_id
            """)
        let clean = sql("DELETE FROM {schema}.settings WHERE name = $1")
        try await transaction("recordCommunities", idempotent: true) { connection in
            _ = try connection.execute(clean, [Self.communitiesWritingSetting], operation: "recordCommunities")
            if !removed.isEmpty { _ = try connection.execute(deleteCommunities, [removed], operation: "recordCommunities") }
            if !entities.isEmpty { _ = try connection.execute(deleteMembers, [entities], operation: "recordCommunities") }
            if !records.isEmpty {
                _ = try connection.execute(upsert, [
                    records.map(\.id), records.map { Int64($0.level) }, records.map(\.parentID), records.map { Int64($0.size) },
                    records.map(\.membersSHA256), records.map(\.weight), records.map(\.rank), records.map(\.title), records.map(\.summary),
                    records.map { $0.passages?.joined(separator: "\n") },
                ], operation: "recordCommunities")
            }
            if !memberships.isEmpty {
                _ = try connection.execute(insertMembers, [memberships.map(\.entityID), memberships.map(\.communityID)],
                                           operation: "recordCommunities")
            }
            if !marks.isEmpty {
                _ = try connection.execute(sql("DELETE FROM {schema}.community_marks WHERE id = ANY($1::bigint[])"), [marks],
                                           operation: "recordCommunities")
            }
        }
    }

    /// The `settings` row present while communities are being written to the graph: a run that
    /// finds it knows an earlier write stopped half-way, and rewrites every community link.
    static let communitiesWritingSetting = "communities_writing"

    /// Records that communities are about to be written to the graph; ``recordCommunities``
    /// clears the mark once the registry records what the graph got. Safe to repeat.
    public func beginCommunityWrite() async throws {
        let mark = sql("INSERT INTO {schema}.settings (name, value) VALUES ($1, 'true') ON CONFLICT (name) DO NOTHING")
        try await transaction("beginCommunityWrite", idempotent: true) { connection in
            _ = try connection.execute(mark, [Self.communitiesWritingSetting], operation: "beginCommunityWrite")
        }
    }

    /// Runs `body` while no other process computes or writes communities.
    public func withCommunityLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withAdvisoryLock("communities", body)
    }
}
