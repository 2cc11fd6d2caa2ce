import IntegrationSupport
import Testing
@testable import Registry

/// What the community step reads from the registry instead of the graph: each chunk's entities,
/// kept with the chunk snapshot, and the marks of the entities whose chunk links or documents
/// changed, consumed by id.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct RegistryCommunityInputsIntegrationTests {
    static func chunk(_ index: Int, _ sha256: String, _ mentions: [(Int64, Int)]) -> ChunkRecord {
        ChunkRecord(documentID: 0, index: index, start: Int64(index * 10), end: Int64(index * 10 + 10), sha256: sha256,
                    mentions: mentions.map { MentionCount(entityID: $0.0, count: $0.1) })
    }

    /// The marks left, as a set of entities, consumed.
    static func take(_ store: RegistryStore) async throws -> Set<Int64> {
        let marks = try await store.communityMarks()
        try await store.consumeCommunityMarks(marks.ids)
        return marks.entities
    }

    @Test func chunkSnapshotsKeepTheirEntitiesAndMarkOnlyWhatChanged() async throws {
        try await RegistryTestDatabase.withStore { store in
            let document = try await store.registerDocuments([DocumentRegistration(source: "a")])["a"]!
            let ids = try await store.registerEntities((1...4).map { EntityRegistration(key: "k\($0)", name: "n\($0)", type: "T") })
            let (e1, e2, e3, e4) = (ids["k1"]!, ids["k2"]!, ids["k3"]!, ids["k4"]!)
            let mentions = [MentionCount(entityID: e1, count: 2), MentionCount(entityID: e2, count: 1), MentionCount(entityID: e3, count: 1)]
            let first = [Self.chunk(0, "s0", [(e1, 1), (e2, 1)]), Self.chunk(1, "s1", [(e1, 1), (e3, 1)])]
            try await store.replaceMentionAndChunkSnapshots(mentions: [document: mentions], chunks: [document: first])
            #expect(try await Self.take(store) == [e1, e2, e3])
            let links = try await store.chunkLinks(ofEntities: nil).sorted { ($0.entityID, $0.chunkIndex) < ($1.entityID, $1.chunkIndex) }
            #expect(links == [
                ChunkLinkRecord(entityID: e1, documentID: document, chunkIndex: 0, count: 1, sha256: "s0"),
                ChunkLinkRecord(entityID: e1, documentID: document, chunkIndex: 1, count: 1, sha256: "s1"),
                ChunkLinkRecord(entityID: e2, documentID: document, chunkIndex: 0, count: 1, sha256: "s0"),
                ChunkLinkRecord(entityID: e3, documentID: document, chunkIndex: 1, count: 1, sha256: "s1"),
            ].sorted { ($0.entityID, $0.chunkIndex) < ($1.entityID, $1.chunkIndex) })
            #expect(try await store.chunkLinks(ofEntities: [e3]).map(\.chunkIndex) == [1])

            // The same snapshot again marks nothing.
            try await store.replaceMentionAndChunkSnapshots(mentions: [document: mentions], chunks: [document: first])
            #expect(try await Self.take(store).isEmpty)
            // A chunk whose text changed marks its entities alone.
            let edited = [Self.chunk(0, "s0", [(e1, 1), (e2, 1)]), Self.chunk(1, "s1b", [(e1, 1), (e3, 1)])]
            try await store.replaceMentionAndChunkSnapshots(mentions: [document: mentions], chunks: [document: edited])
            #expect(try await Self.take(store) == [e1, e3])
            // A count that moves marks that entity; a new entity in the document marks it.
            let moved = [Self.chunk(0, "s0", [(e1, 1), (e2, 2)]), Self.chunk(1, "s1b", [(e1, 1), (e3, 1), (e4, 1)])]
            try await store.replaceMentionAndChunkSnapshots(
                mentions: [document: mentions + [MentionCount(entityID: e4, count: 1)]], chunks: [document: moved])
            #expect(try await Self.take(store) == [e2, e4])
            // A mark added after a step read the marks survives that step's consumption.
            let read = try await store.communityMarks()
            try await store.replaceMentionAndChunkSnapshots(mentions: [document: mentions], chunks: [document: edited])
            try await store.consumeCommunityMarks(read.ids)
            #expect(try await Self.take(store) == [e2, e4])
            // Deleting the document marks what it mentioned and empties its chunk mentions.
            _ = try await store.markDeleted([document])
            #expect(try await Self.take(store) == [e1, e2, e3])
            #expect(try await store.chunkLinks(ofEntities: nil).isEmpty)
            #expect(try await store.chunkMentionsMissing() == false)
        }
    }
}
