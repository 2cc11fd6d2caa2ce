/// The sections that are tables: the corpus, the top entities, the communities, the dead letters.
extension ReportRenderer {
    func corpusSection(_ data: ReportData) -> String {
        let corpus = data.corpus
        let number = ReportText.integer
        let statuses = ReportTable(
            caption: "Documents by status", headers: ["status", "documents", "bytes"], numeric: [1, 2],
            rows: corpus.statuses.map { [ReportText.escape($0.status), number($0.documents), ReportText.bytes($0.bytes)] })
        var figures: [[String]] = [
            ["documents", number(corpus.statuses.reduce(0) { $0 + $1.documents })],
            ["chunks", number(corpus.chunks)],
            ["entities", number(corpus.entities)],
            ["MENTIONS relationships", number(corpus.mentionRelationships)],
            ["mentions", number(corpus.mentions)],
            ["CO_OCCURS_WITH relations", number(corpus.relations)],
            ["entity pairs counted", number(corpus.pairs)],
        ]
        if let minimum = corpus.minimumCooccurrence { figures.append(["co-occurrence threshold", number(minimum)]) }
        figures.append(["communities", number(corpus.communityLevels.reduce(0) { $0 + $1.count })])
        let totals = ReportTable(caption: "Totals", headers: ["figure", "value"], numeric: [1], rows: figures)
        let types = ReportTable(caption: "Entities by type", headers: ["type", "entities"], numeric: [1],
                                rows: corpus.entityTypes.map { [ReportText.escape($0.name), number($0.count)] })
        let levels = ReportTable(caption: "Communities by level (0 the finest)", headers: ["level", "communities"], numeric: [0, 1],
                                 rows: corpus.communityLevels.map { [ReportText.escape($0.name), number($0.count)] })
        return section("corpus", "Corpus", "<div class=\"grid\">\n" + totals.html + statuses.html + types.html + levels.html + "</div>\n")
    }

    func entitiesSection(_ data: ReportData) -> String {
        func table(_ caption: String, _ entities: [ReportData.Entity]) -> String {
            ReportTable(
                caption: caption, headers: ["entity", "type", "mentions", "documents", "relations"], numeric: [2, 3, 4],
                rows: entities.map { entity in
                    ["<span title=\"\(ReportText.escape(entity.key))\">\(ReportText.escape(entity.name))</span>", ReportText.escape(entity.type),
                     ReportText.integer(entity.mentions), ReportText.integer(entity.documents), ReportText.integer(entity.degree)]
                }).html
        }
        let body = table("By mentions", data.topByMentions) + table("By CO_OCCURS_WITH relations (degree)", data.topByDegree)
        return section("entities", "Top entities", body)
    }

    func communitiesSection(_ data: ReportData, palette: ReportPalette) -> String {
        guard !data.communities.isEmpty else {
            return section("communities", "Communities", paragraph("No communities: run graphingest communities (or an ingest without --no-communities)."))
        }
        let inNetwork = Set(data.network.nodes.compactMap(\.community))
        var body = paragraph("The coarsest level's communities with the most documents; a swatch links to the community's nodes in the network.")
        body += "<ol class=\"communities\">\n"
        for community in data.communities {
            let id = ReportText.anchor("community", community.id)
            let swatch = "<span class=\"swatch\" style=\"background:\(palette.colour(of: community.id))\"></span>"
            let link = inNetwork.contains(community.id)
                ? "<a href=\"#\(ReportText.anchor("net", community.id))\">\(swatch)in the network</a>"
                : "\(swatch)not among the network’s entities"
            body += """
                <li id="\(id)"><article>
                <h3>\(ReportText.escape(community.title))</h3>
                <p class="meta">\(ReportText.integer(community.size)) members, \(ReportText.integer(community.documents)) documents, level \(community.level), <code>\(ReportText.escape(community.id))</code>; \(link)</p>
                <p><strong>Top members:</strong> \(community.members.map(ReportText.escape).joined(separator: ", "))</p>
                <p>\(ReportText.escape(community.summary))</p>
                </article></li>

                """
        }
        return section("communities", "Communities", body + "</ol>\n")
    }

    func deadLettersSection(_ data: ReportData) -> String {
        let shown = data.deadLetters.count < data.openDeadLetters
            ? "\(ReportText.integer(data.openDeadLetters)) open; the newest \(data.deadLetters.count) first."
            : "\(ReportText.integer(data.openDeadLetters)) open, the newest first."
        let table = ReportTable(
            caption: "Open dead letters", headers: ["#", "file", "line or record", "stage", "run", "recorded", "cause"], numeric: [0],
            rows: data.deadLetters.map { letter in
                let place = ReportDeadLetterPlace(letter)
                return [String(letter.id), ReportText.escape(place.file), ReportText.escape(place.position ?? "–"), ReportText.escape(letter.stage),
                        letter.runID.map { String($0) } ?? "–", ReportText.time(letter.createdAt), ReportText.escape(ReportText.clipped(letter.error))]
            })
        return section("dead-letters", "Dead letters", paragraph(shown) + table.html)
    }
}

/// Where a dead letter points: its file, and the line or record in it when the source names one
/// (`export.jsonl#id`, `export.jsonl:12`, or a cause that starts with `export.jsonl:12:`).
struct ReportDeadLetterPlace {
    var file: String
    var position: String?

    init(_ letter: ReportData.DeadLetter) {
        if let hash = letter.source.lastIndex(of: "#") {
            file = String(letter.source[..<hash])
            position = "record " + letter.source[letter.source.index(after: hash)...]
        } else if let colon = letter.source.lastIndex(of: ":"), let line = Int(letter.source[letter.source.index(after: colon)...]) {
            file = String(letter.source[..<colon])
            position = "line \(line)"
        } else {
            file = letter.source
            let parts = letter.error.split(separator: ":", maxSplits: 2)
            position = parts.count == 3 ? Int(parts[1]).map { "line \($0)" } : nil
        }
    }
}
