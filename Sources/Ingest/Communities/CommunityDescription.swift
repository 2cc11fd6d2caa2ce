import Communities

/// The text a community's node carries without a language model: a `title` (its most connected
/// entities) and an extractive `summary` (its members, its strongest relations and excerpts of
/// its central passages, ``ChunkCoverage``), both deterministic (ties broken by entity key).
struct CommunityDescription: Sendable {
    /// Names in a title at most.
    static let titleNames = 3
    /// Relations and members a summary lists at most, and its length at most (characters).
    static let summaryRelations = 5
    static let summaryMembers = 12
    static let summaryLength = 1_000
    /// Characters of a passage quoted at most.
    static let excerptLength = 200

    var title: String
    var summary: String

    /// Describes `community` from its internal edges (both ends members), its members' names and
    /// the text of its central passages, the most central first.
    init(_ community: Community, internalEdges: [CommunityEdge], names: [String: String], passages: [String] = []) {
        self.init(community, internalEdges: internalEdges, names: names, excerpts: passages.map(Self.excerpt).filter { !$0.isEmpty })
    }

    /// Describes `community` from its internal edges, its members' names and the excerpts
    /// (``excerpt(_:)``) of its central passages, the most central first.
    init(_ community: Community, internalEdges: [CommunityEdge], names: [String: String], excerpts: [String]) {
        var strength: [String: Int] = [:]
        for edge in internalEdges {
            strength[edge.source, default: 0] += edge.weight
            strength[edge.target, default: 0] += edge.weight
        }
        let ranked = community.members.sorted { (strength[$0] ?? 0, $1) > (strength[$1] ?? 0, $0) }
        let name = { (key: String) in names[key] ?? key }
        title = ranked.prefix(Self.titleNames).map(name).joined(separator: ", ")
        // Each pair with its keys in order: the registry's ids (which end is which) depend on
        // the order documents were first seen, the text must not.
        let relations = internalEdges.map { edge in
            edge.source <= edge.target ? edge : CommunityEdge(source: edge.target, target: edge.source, weight: edge.weight)
        }
        .sorted { ($0.weight, $1.source, $1.target) > ($1.weight, $0.source, $0.target) }
            .prefix(Self.summaryRelations)
            .map { "\(name($0.source)) – \(name($0.target)) (\($0.weight))" }
        var text = "\(community.size) entities: " + ranked.prefix(Self.summaryMembers).map(name).joined(separator: ", ")
        if community.size > Self.summaryMembers { text += " and \(community.size - Self.summaryMembers) more" }
        text += "."
        if !relations.isEmpty { text += " Strongest relations: " + relations.joined(separator: "; ") + "." }
        if !excerpts.isEmpty { text += " Passages: " + excerpts.map { "“\($0)”" }.joined(separator: " ") }
        summary = text.count > Self.summaryLength ? String(text.prefix(Self.summaryLength - 1)) + "…" : text
    }

    /// `text` on one line (white space runs made one space), cut at a word boundary to
    /// ``excerptLength`` characters with an ellipsis. Reads only as far as it keeps: a chunk is
    /// long, and every community quotes two.
    static func excerpt(_ text: String) -> String {
        var line = "", word = ""
        var lineLength = 0, wordLength = 0
        func take() -> Bool {
            defer { word = ""; wordLength = 0 }
            guard wordLength > 0 else { return true }
            guard lineLength + wordLength + 1 <= excerptLength else { return false }
            if lineLength > 0 { line += " "; lineLength += 1 }
            line += word
            lineLength += wordLength
            return true
        }
        for character in text {
            if character.isWhitespace {
                if !take() { return line + " …" }
                continue
            }
            word.append(character)
            wordLength += 1
            if lineLength == 0 && wordLength >= excerptLength { return String(word.prefix(excerptLength - 1)) + "…" }
        }
        return take() ? line : line + " …"
    }
}
