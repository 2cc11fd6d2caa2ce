import Foundation

/// The co-occurrence network: nodes coloured by community and sized by mentions, edges as wide
/// as their count, names on the larger nodes. Positions come laid out in the data.
extension ReportRenderer {
    /// How many nodes, the ones with the most mentions, carry their name.
    static let labelledNodes = 20

    func networkSection(_ network: ReportData.Network, palette: ReportPalette, communities: [ReportData.Community]) -> String {
        guard !network.nodes.isEmpty else {
            return section("network", "Network", paragraph("No CO_OCCURS_WITH relation yet."))
        }
        let omitted = network.omittedEdges > 0 ? "; the \(ReportText.integer(network.omittedEdges)) weakest relations between them are left out" : ""
        let description = "The \(network.nodes.count) most mentioned entities that have a CO_OCCURS_WITH relation, and the \(network.edges.count) relations between them\(omitted)."
        var body = "<figure>\n"
        body += """
            <svg class="network" viewBox="0 0 \(Int(Self.networkWidth)) \(Int(Self.networkHeight))" role="img" aria-labelledby="network-svg-title network-svg-desc">
            <title id="network-svg-title">Co-occurrence network of the top entities</title>
            <desc id="network-svg-desc">\(ReportText.escape(description)) Circles are entities, sized by mentions and coloured by community; lines are relations, as wide as their count.</desc>

            """
        body += networkEdges(network) + networkNodes(network, palette: palette) + networkLabels(network)
        body += "</svg>\n<figcaption>\(ReportText.escape(description)) Hover a circle or a line for its figures.</figcaption>\n"
        body += networkLegend(palette, communities: communities)
        return section("network", "Network", body + "</figure>\n")
    }

    private func position(_ node: ReportData.Network.Node) -> (x: String, y: String) {
        let margin = 40.0
        return (ReportText.coordinate(margin + node.x * (Self.networkWidth - 2 * margin)),
                ReportText.coordinate(margin + node.y * (Self.networkHeight - 2 * margin)))
    }

    private func networkEdges(_ network: ReportData.Network) -> String {
        let strongest = Double(network.edges.map(\.count).max() ?? 1)
        var svg = "<g class=\"edges\">\n"
        for edge in network.edges {
            let a = network.nodes[edge.a], b = network.nodes[edge.b]
            let (x1, y1) = position(a), (x2, y2) = position(b)
            let width = 0.5 + 4.5 * log(Double(max(1, edge.count))) / log(max(2, strongest))
            svg += "<line class=\"edge\" x1=\"\(x1)\" y1=\"\(y1)\" x2=\"\(x2)\" y2=\"\(y2)\" stroke-width=\"\(ReportText.coordinate(width))\">"
            svg += "<title>\(ReportText.escape(a.name)) – \(ReportText.escape(b.name)): \(ReportText.integer(edge.count)) windows</title></line>\n"
        }
        return svg + "</g>\n"
    }

    /// The radius of a node with `mentions` when the most mentioned node has `most`.
    func radius(_ mentions: Int, most: Int) -> Double {
        4 + 14 * (Double(max(0, mentions)) / Double(max(1, most))).squareRoot()
    }

    private func networkNodes(_ network: ReportData.Network, palette: ReportPalette) -> String {
        let most = network.nodes.map(\.mentions).max() ?? 1
        var groups: [String?: [ReportData.Network.Node]] = [:]
        for node in network.nodes { groups[node.community, default: []].append(node) }
        let order = groups.keys.sorted { ($0 ?? "\u{10FFFF}") < ($1 ?? "\u{10FFFF}") }
        var svg = ""
        for community in order {
            let id = community.map { " id=\"\(ReportText.anchor("net", $0))\"" } ?? ""
            svg += "<g class=\"community\"\(id) fill=\"\(palette.colour(of: community))\">\n"
            for node in groups[community] ?? [] {
                let (x, y) = position(node)
                svg += "<circle class=\"node\" cx=\"\(x)\" cy=\"\(y)\" r=\"\(ReportText.coordinate(radius(node.mentions, most: most)))\">"
                svg += "<title>\(ReportText.escape(node.name)) (\(ReportText.escape(node.type))): \(ReportText.integer(node.mentions)) mentions</title></circle>\n"
            }
            svg += "</g>\n"
        }
        return svg
    }

    private func networkLabels(_ network: ReportData.Network) -> String {
        let most = network.nodes.map(\.mentions).max() ?? 1
        let labelled = network.nodes.indices
            .sorted { network.nodes[$0].mentions != network.nodes[$1].mentions
                ? network.nodes[$0].mentions > network.nodes[$1].mentions : network.nodes[$0].key < network.nodes[$1].key }
            .prefix(Self.labelledNodes).sorted()
        var svg = "<g class=\"labels\" aria-hidden=\"true\">\n"
        for index in labelled {
            let node = network.nodes[index]
            let (x, _) = position(node)
            let y = 40 + node.y * (Self.networkHeight - 80) - radius(node.mentions, most: most) - 3
            // Names near the sides grow inwards, so none is cut off.
            let anchor = node.x < 0.15 ? " text-anchor=\"start\"" : node.x > 0.85 ? " text-anchor=\"end\"" : ""
            svg += "<text x=\"\(x)\" y=\"\(ReportText.coordinate(y))\"\(anchor)>\(ReportText.escape(node.name))</text>\n"
        }
        return svg + "</g>\n"
    }

    /// The colours' communities, by title, each linked to its entry when the page lists it.
    private func networkLegend(_ palette: ReportPalette, communities: [ReportData.Community]) -> String {
        let titles = Dictionary(communities.map { ($0.id, $0.title) }, uniquingKeysWith: { first, _ in first })
        var html = "<ul class=\"legend\" aria-label=\"Communities in the network\">\n"
        for community in palette.communities {
            let swatch = "<span class=\"swatch\" style=\"background:\(community.colour)\"></span>"
            let name = titles[community.id].map(ReportText.escape) ?? "<code>\(ReportText.escape(community.id))</code>"
            let entry = titles[community.id] == nil ? swatch + name : "<a href=\"#\(ReportText.anchor("community", community.id))\">\(swatch)\(name)</a>"
            html += "<li>\(entry) (\(community.nodes) \(community.nodes == 1 ? "node" : "nodes"))</li>\n"
        }
        return html + "<li><span class=\"swatch\" style=\"background:\(ReportPalette.other)\"></span>other communities, or none</li>\n</ul>\n"
    }
}
