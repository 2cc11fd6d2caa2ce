import Foundation
public import GraphStore
public import Registry

/// What a language model needs to write community reports, and the reports it wrote:
/// `graphingest communities --export-context FILE [--stale]` and `--load-reports FILE`.
///
/// The export writes one JSON line per community: its id, level, the SHA-256 of its member keys
/// (a report names it, so a report written for other members is refused), its members with names
/// and types (the most connected first), its strongest inside relations with counts, and the
/// passages that mention most of its members, cut to a token budget (4 characters a token).
/// A report line names the community and that hash and gives a title, a summary, and optionally a
/// rank and an embedding. A current report replaces the extractive title and summary in the
/// graph and the registry, and keeps doing so through every reindex that leaves the community's
/// members alone; once they change, the community has another id and the report is stale.
public struct CommunityReports: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase

    public init(registry: RegistryStore, database: GraphDatabase) {
        self.registry = registry
        self.database = database
    }

    /// What an export wrote.
    public struct Export: Sendable, Codable, Equatable {
        public var communities = 0
        public var passages = 0
    }

    /// Writes the context of every community (or, with `staleOnly`, of those without a current
    /// report) to `path`, at most `tokenBudget` tokens each.
    public func export(to path: String, staleOnly: Bool, tokenBudget: Int) async throws -> Export {
        try await registry.requireMigrated()
        let minimumCount = try await registry.cooccurrenceThreshold() ?? PipelineConfiguration.defaultMinimumCooccurrence
        let snapshot = try await registry.communitySnapshot()
        let reports = try await registry.currentCommunityReports()
        let members = Self.members(of: snapshot)
        let facts = try await registry.entityFacts(ids: Array(Set(snapshot.memberships.keys)))
        let edges = try await registry.allCommunityEdges(atLeast: minimumCount)
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw IngestError(.configuration, "cannot write \(path)")
        }
        defer { try? file.close() }
        var export = Export()
        for record in snapshot.communities.sorted(by: { ($0.level, $0.id) > ($1.level, $1.id) })
        where !staleOnly || reports[record.id] == nil {
            let ids = members[record.id] ?? []
            let passages = try await database.reader.communityPassages(entityIDs: ids.sorted(), limit: 8)
            let line = CommunityContextLine(record: record, members: ids, facts: facts, edges: edges, passages: passages,
                                            tokenBudget: tokenBudget)
            try file.write(contentsOf: Data((line.json + "\n").utf8))
            export.communities += 1
            export.passages += line.passageCount
        }
        return export
    }

    /// Each community's members (entity ids), from the level-0 memberships up the parent links.
    static func members(of snapshot: CommunitySnapshot) -> [String: Set<Int64>] {
        var members: [String: Set<Int64>] = [:]
        for (entity, community) in snapshot.memberships { members[community, default: []].insert(entity) }
        let maxLevel = snapshot.communities.map(\.level).max() ?? 0
        for level in 0..<max(maxLevel, 0) {
            for record in snapshot.communities where record.level == level {
                if let parent = record.parentID { members[parent, default: []].formUnion(members[record.id] ?? []) }
            }
        }
        return members
    }

    /// What a load did: the reports stored, and the lines refused with their reasons.
    public struct Load: Sendable, Codable, Equatable {
        public var loaded = 0
        public var rejected: [String] = []
    }

    /// Reads report lines from `path`, keeps those written for a community's current members,
    /// and writes them: the graph first, then the registry. A line that is not a report, or names
    /// a community that is gone or has other members now, is refused with its line number.
    public func load(from path: String) async throws -> Load {
        try await registry.requireMigrated()
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw IngestError(.configuration, "cannot read the reports \(path): \(error.localizedDescription)")
        }
        let current = Dictionary(try await registry.communitySnapshot().communities.map { ($0.id, $0.membersSHA256) },
                                 uniquingKeysWith: { first, _ in first })
        var result = Load()
        var reports: [CommunityReport] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            switch Self.report(String(line), current: current) {
            case .success(let report): reports.append(report)
            case .failure(let reason): result.rejected.append("\(path):\(index + 1): \(reason.message)")
            }
        }
        guard !reports.isEmpty else { return result }
        try await registry.beginCommunityWrite()
        try await database.writer.writeCommunityReports(reports.map {
            GraphCommunityReportRow(id: $0.communityID, title: $0.title, summary: $0.summary, rank: $0.rank, embedding: $0.embedding)
        })
        try await registry.storeCommunityReports(reports)
        result.loaded = reports.count
        return result
    }

    struct Refusal: Error {
        var message: String
    }

    /// One report line, checked against the current communities (id -> member hash).
    static func report(_ line: String, current: [String: String]) -> Result<CommunityReport, Refusal> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            return .failure(Refusal(message: "not a JSON object"))
        }
        guard let id = object["community"] as? String, let hash = object["members_sha256"] as? String,
              let title = object["title"] as? String, let summary = object["summary"] as? String else {
            return .failure(Refusal(message: "a report needs \"community\", \"members_sha256\", \"title\" and \"summary\" strings"))
        }
        guard let members = current[id] else { return .failure(Refusal(message: "community \(id) is gone (its members changed)")) }
        guard members == hash else {
            return .failure(Refusal(message: "the report was written for other members of community \(id) than it has now"))
        }
        var embedding: [Double]?
        if let values = object["embedding"] {
            guard let numbers = values as? [NSNumber], !numbers.isEmpty else {
                return .failure(Refusal(message: "\"embedding\" must be a non-empty array of numbers"))
            }
            embedding = numbers.map(\.doubleValue)
        }
        return .success(CommunityReport(communityID: id, membersSHA256: hash, title: title, summary: summary,
                                        rank: (object["rank"] as? NSNumber)?.doubleValue, embedding: embedding))
    }
}

/// One line of `--export-context`: a community's context for a report, cut to a token budget.
struct CommunityContextLine {
    var json: String
    var passageCount = 0

    init(record: CommunityRecord, members: Set<Int64>, facts: [Int64: (key: String, name: String, type: String)],
         edges: [CommunityEdgeRecord], passages: [GraphCommunityPassage], tokenBudget: Int) {
        var strength: [Int64: Int64] = [:]
        var relations: [(a: String, b: String, count: Int64)] = []
        for edge in edges where members.contains(edge.a) && members.contains(edge.b) {
            strength[edge.a, default: 0] += edge.count
            strength[edge.b, default: 0] += edge.count
            let (a, b) = edge.keyA <= edge.keyB ? (edge.a, edge.b) : (edge.b, edge.a)
            relations.append((facts[a]?.name ?? "", facts[b]?.name ?? "", edge.count))
        }
        let ranked = members.sorted { (strength[$0] ?? 0, facts[$1]?.key ?? "") > (strength[$1] ?? 0, facts[$0]?.key ?? "") }
        var budget = tokenBudget * 4
        func spend(_ text: String) -> Bool {
            guard budget >= text.count else { return false }
            budget -= text.count
            return true
        }
        var memberList: [[String: Any]] = []
        for id in ranked.prefix(100) {
            let fact = facts[id]
            let member: [String: Any] = ["key": fact?.key ?? "", "name": fact?.name ?? "", "type": fact?.type ?? "", "weight": strength[id] ?? 0]
            guard spend("\(member)") else { break }
            memberList.append(member)
        }
        var relationList: [[String: Any]] = []
        for relation in relations.sorted(by: { ($0.count, $1.a, $1.b) > ($1.count, $0.a, $0.b) }).prefix(50) {
            guard spend("\(relation)") else { break }
            relationList.append(["a": relation.a, "b": relation.b, "count": relation.count])
        }
        var passageList: [[String: Any]] = []
        for passage in passages {
            guard spend(passage.text) else { break }
            passageList.append(["chunk": passage.chunkID, "source": passage.source, "text": passage.text, "entities": passage.entities])
        }
        passageCount = passageList.count
        let object: [String: Any] = [
            "community": record.id, "level": record.level, "members_sha256": record.membersSHA256, "size": record.size,
            "parent": record.parentID as Any? ?? NSNull(), "title": record.title, "members": memberList, "relations": relationList,
            "passages": passageList, "token_budget": tokenBudget,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        json = String(decoding: data, as: UTF8.self)
    }
}
