import Extraction
import GraphStore
@testable import Ingest
import Testing

/// The text a community gets without a model and how `context --global` ranks communities:
/// central passages chosen by members and mentions with ties broken by text hash (never by
/// chunk id), excerpts cut at word boundaries, and ranking by question entities, then words,
/// then documents.
@Suite struct CommunityTextTests {
    static func link(_ id: String, _ sha: String, _ count: Int64 = 1) -> GraphEntityChunk {
        GraphEntityChunk(id: id, sha256: sha, count: count)
    }

    @Test func centralPassagesMentionMostMembersAndTiesGoByTextNotID() {
        let chunks: [Int64: [GraphEntityChunk]] = [
            1: [Self.link("9:0", "ccc"), Self.link("2:0", "bbb"), Self.link("5:1", "aaa", 3)],
            2: [Self.link("9:0", "ccc"), Self.link("2:0", "bbb"), Self.link("7:0", "aaa")],
            3: [Self.link("8:4", "ddd")],
        ]
        let coverage = ChunkCoverage(members: [1, 2, 3], chunks: chunks)
        #expect(coverage.weight == 5)
        // 9:0 and 2:0 both mention two members once each: the text hash decides, not the id.
        #expect(coverage.central == ["2:0", "9:0"])
        // Two chunks with the same text are one passage.
        let twins = ChunkCoverage(members: [1], chunks: [1: [Self.link("3:0", "aaa", 2), Self.link("1:0", "aaa", 2), Self.link("4:0", "zzz")]])
        #expect(twins.central == ["1:0", "4:0"])
        #expect(ChunkCoverage(members: [], chunks: chunks).central.isEmpty)
    }

    @Test func excerptsAreOneLineCutAtAWord() {
        #expect(CommunityDescription.excerpt("  Paris\n\nand   Berlin.  ") == "Paris and Berlin.")
        let long = Array(repeating: "word", count: 100).joined(separator: " ")
        let cut = CommunityDescription.excerpt(long)
        #expect(cut.hasSuffix(" …") && cut.count <= CommunityDescription.excerptLength + 2 && !cut.contains("wor …"))
        #expect(CommunityDescription.excerpt(String(repeating: "x", count: 500)).count == CommunityDescription.excerptLength)
    }

    static func community(_ id: String, rank: Int64, title: String, summary: String = "", keys: Set<String> = []) -> GraphContextCommunity {
        GraphContextCommunity(id: id, level: 1, size: 3, rank: rank, title: title, summary: summary, keys: keys)
    }

    @Test func globalRankingGoesByQuestionEntitiesThenWordsThenDocuments() throws {
        let tokenizer = try TextTokenizer()
        let ranking = try GlobalCommunityRanking(question: "Which rivers flow through the capitals?", tokenizer: tokenizer)
        #expect(ranking.terms == ["capitals", "flow", "rivers"])
        let communities = [
            Self.community("1-a", rank: 50, title: "Tokyo, Osaka"),
            Self.community("1-b", rank: 2, title: "Seine, Thames", summary: "Rivers: the Seine and the Thames flow."),
            Self.community("1-c", rank: 9, title: "Danube", summary: "rivers"),
            Self.community("1-d", rank: 1, title: "Paris", keys: ["geo:paris"]),
            Self.community("1-e", rank: 9, title: "Rome", summary: "rivers"),
        ]
        let ranked = try ranking.rank(communities, tokenizer: tokenizer, limit: 4)
        #expect(ranked.map(\.id) == ["1-d", "1-b", "1-c", "1-e"])
        #expect(ranked.map(\.rank) == [1, 2, 3, 4])
        #expect(ranked[1].matchedTerms == ["flow", "rivers"])
        #expect(ranked[1].termScore > ranked[2].termScore && ranked[2].termScore > 0)
        // Nothing in the question matches: the most widespread communities come first.
        let themes = try GlobalCommunityRanking(question: "What are the main themes?", tokenizer: tokenizer)
        let unheld = communities.map { community in
            var community = community
            community.keys = []
            return community
        }
        #expect(try themes.rank(unheld, tokenizer: tokenizer, limit: 2).map(\.id) == ["1-a", "1-c"])
    }
}
