import PackStream

extension GraphWriter {
    /// Writes a change of the communities: nodes, then parent links, then entity memberships,
    /// then deletions; in batches, in the shared lane (memberships touch Entity nodes).
    /// Idempotent: running it again after a crash gives the same graph.
    public func writeCommunities(_ change: GraphCommunityChange) async throws {
        try await shared {
            for batch in Self.chunked(change.communities, 1_000) {
                try await self.execute([(GraphCypher.mergeCommunities, ["rows": .value(.list(batch.map(\.value)))])])
            }
            for batch in Self.chunked(change.parents, 2_000) {
                let ids: PackStreamParameter = .value(.list(batch.map { .string($0.child) }))
                let links = batch.compactMap { link in link.parent.map { PackStreamValue.map(["c": .string(link.child), "p": .string($0)]) } }
                try await self.execute(GraphCypher.deleteCommunityParents.map { ($0, ["ids": ids]) }
                                       + [(GraphCypher.createCommunityParents, ["rows": .value(.list(links))])])
            }
            for batch in Self.chunked(change.memberships, 2_000) {
                let ids: PackStreamParameter = .value(.list(batch.map { .integer($0.entity) }))
                let links = batch.compactMap { link in link.community.map { PackStreamValue.map(["e": .integer(link.entity), "c": .string($0)]) } }
                try await self.execute([(GraphCypher.deleteEntityMemberships, ["ids": ids]),
                                        (GraphCypher.createEntityMemberships, ["rows": .value(.list(links))])])
            }
            for batch in Self.chunked(change.removed, 2_000) {
                try await self.execute([(GraphCypher.deleteCommunities, ["ids": .value(.list(batch.map(PackStreamValue.string)))])])
            }
        }
    }

    static func chunked<Element>(_ elements: [Element], _ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: elements.count, by: size).map { elements[$0..<min($0 + size, elements.count)] }
    }
}

/// A community report as the graph holds it: the text and, when given, rank and embedding.
public struct GraphCommunityReportRow: Sendable, Hashable {
    public var id: String
    public var title: String
    public var summary: String
    public var rank: Double?
    public var embedding: [Double]?

    public init(id: String, title: String, summary: String, rank: Double?, embedding: [Double]?) {
        self.id = id
        self.title = title
        self.summary = summary
        self.rank = rank
        self.embedding = embedding
    }

    var value: PackStreamValue {
        .map(["id": .string(id), "title": .string(title), "summary": .string(summary), "rank": rank.map(PackStreamValue.float) ?? .null,
              "embedding": embedding.map { .list($0.map(PackStreamValue.float)) } ?? .null])
    }
}

extension GraphWriter {
    /// Sets reports on their community nodes, in batches.
    public func writeCommunityReports(_ rows: [GraphCommunityReportRow]) async throws {
        for batch in Self.chunked(rows, 500) {
            try await execute([(GraphCypher.setCommunityReports, ["rows": .value(.list(batch.map(\.value)))])])
        }
    }
}
