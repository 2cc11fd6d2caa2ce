import GraphStore

/// What a community's members' chunks give it: its `weight` (the number of distinct chunks its
/// entities have FROM_CHUNK to, as LLM Graph Builder defines it) and its central passages, which
/// its extractive summary quotes: the chunks that mention most of its members, then with most
/// mentions of them, ties broken by the text's SHA-256, so that neither registry ids nor the
/// order documents were seen in decide (one chunk per distinct text).
struct ChunkCoverage: Sendable {
    /// Central passages kept at most.
    static let passages = 2

    var weight: Int
    /// Chunk ids, the most central first.
    var central: [String]

    /// Entities' chunk links with each chunk once: a chunk is a number, and its text hash a
    /// rank among the hashes, so that counting and comparing chunks compares integers (the
    /// step counts hundreds of thousands of links).
    struct Links: Sendable {
        /// Each chunk's id, and the rank of its text's SHA-256 among the distinct hashes.
        var ids: [String] = []
        var textRanks: [Int] = []
        /// Each entity's links: the chunk's number and the entity's mentions in it.
        var byEntity: [Int64: [(chunk: Int, count: Int64)]] = [:]

        /// - Parameters:
        ///   - links: each link's entity, chunk key, chunk text hash and mentions.
        ///   - id: a chunk's id from its key (called once per chunk).
        init<Key: Hashable>(_ links: [(entity: Int64, key: Key, sha256: String, count: Int64)], id: (Key) -> String) {
            var number: [Key: Int] = [:]
            var hashes: [String] = []
            for link in links {
                let chunk: Int
                if let known = number[link.key] {
                    chunk = known
                } else {
                    chunk = ids.count
                    number[link.key] = chunk
                    ids.append(id(link.key))
                    hashes.append(link.sha256)
                }
                byEntity[link.entity, default: []].append((chunk, link.count))
            }
            let distinct = Array(Set(hashes)).sorted()
            let rank = Dictionary(uniqueKeysWithValues: distinct.enumerated().map { ($1, $0) })
            textRanks = hashes.map { rank[$0] ?? 0 }
        }

        /// The graph's links (FROM_CHUNK), keyed by chunk id.
        init(_ chunks: [Int64: [GraphEntityChunk]]) {
            self.init(chunks.flatMap { entity, links in links.map { (entity, $0.id, $0.sha256, $0.count) } }, id: { $0 })
        }
    }

    private struct Candidate {
        var chunk: Int
        var members: Int
        var mentions: Int64
    }

    /// - Parameters:
    ///   - members: the community's entity ids.
    ///   - chunks: each entity's FROM_CHUNK links.
    init(members: [Int64], chunks: [Int64: [GraphEntityChunk]]) {
        self = Self.coverage(of: ["": members], links: Links(chunks))[""]!
    }

    /// The coverage of each group of entities (a community's members), with one scratch table
    /// for all of them.
    static func coverage(of groups: [String: [Int64]], links: Links) -> [String: ChunkCoverage] {
        var members = [Int](repeating: 0, count: links.ids.count)
        var mentions = [Int64](repeating: 0, count: links.ids.count)
        var touched: [Int] = []
        var result: [String: ChunkCoverage] = [:]
        for (group, entities) in groups {
            for entity in entities {
                for link in links.byEntity[entity] ?? [] {
                    if members[link.chunk] == 0 { touched.append(link.chunk) }
                    members[link.chunk] += 1
                    mentions[link.chunk] += link.count
                }
            }
            let candidates = touched.map { Candidate(chunk: $0, members: members[$0], mentions: mentions[$0]) }
            result[group] = ChunkCoverage(weight: touched.count, central: best(of: candidates, links: links).map { links.ids[$0.chunk] })
            for chunk in touched {
                members[chunk] = 0
                mentions[chunk] = 0
            }
            touched.removeAll(keepingCapacity: true)
        }
        return result
    }

    private init(weight: Int, central: [String]) {
        self.weight = weight
        self.central = central
    }

    /// The most central candidates, one per distinct text, the most central first.
    private static func best(of candidates: [Candidate], links: Links) -> [Candidate] {
        func isBetter(_ a: Candidate, than b: Candidate) -> Bool {
            if (a.members, a.mentions) != (b.members, b.mentions) { return (a.members, a.mentions) > (b.members, b.mentions) }
            let (textA, textB) = (links.textRanks[a.chunk], links.textRanks[b.chunk])
            return textA != textB ? textA < textB : links.ids[a.chunk] < links.ids[b.chunk]
        }
        var best: [Candidate] = []
        for candidate in candidates {
            let text = links.textRanks[candidate.chunk]
            if let same = best.firstIndex(where: { links.textRanks[$0.chunk] == text }) {
                if isBetter(candidate, than: best[same]) { best[same] = candidate }
            } else if best.count < passages {
                best.append(candidate)
            } else if let worst = best.indices.min(by: { isBetter(best[$1], than: best[$0]) }), isBetter(candidate, than: best[worst]) {
                best[worst] = candidate
            } else {
                continue
            }
            best.sort { isBetter($0, than: $1) }
        }
        return best
    }
}
