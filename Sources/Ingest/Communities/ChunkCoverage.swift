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

    private struct Candidate {
        var id: String
        var members: Int
        var mentions: Int64
        var sha256: String

        func isBetter(than other: Candidate) -> Bool {
            (other.members, other.mentions) != (members, mentions)
                ? (members, mentions) > (other.members, other.mentions)
                : (sha256, id) < (other.sha256, other.id)
        }
    }

    /// - Parameters:
    ///   - members: the community's entity ids.
    ///   - chunks: each entity's FROM_CHUNK links.
    init(members: [Int64], chunks: [Int64: [GraphEntityChunk]]) {
        var seen: [String: Candidate] = [:]
        for member in members {
            for link in chunks[member] ?? [] {
                seen[link.id, default: Candidate(id: link.id, members: 0, mentions: 0, sha256: link.sha256)].members += 1
                seen[link.id]?.mentions += link.count
            }
        }
        weight = seen.count
        var best: [Candidate] = []
        for candidate in seen.values {
            if let same = best.firstIndex(where: { $0.sha256 == candidate.sha256 }) {
                if candidate.isBetter(than: best[same]) { best[same] = candidate }
            } else if best.count < Self.passages {
                best.append(candidate)
            } else if let worst = best.indices.min(by: { best[$1].isBetter(than: best[$0]) }), candidate.isBetter(than: best[worst]) {
                best[worst] = candidate
            } else {
                continue
            }
            best.sort { $0.isBetter(than: $1) }
        }
        central = best.map(\.id)
    }
}
