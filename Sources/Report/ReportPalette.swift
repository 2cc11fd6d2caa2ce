/// Colours: one per community of the network (the nine with the most nodes; the rest share
/// grey), and one per run stage. Tableau 10's colours, which stay apart for most colour-blind
/// readers and in grey print better than a rainbow.
struct ReportPalette {
    static let colours = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"]
    static let other = "#bab0ac"

    /// The communities that have a colour of their own, the one with the most nodes first
    /// (ties by id), and their colours.
    let communities: [(id: String, colour: String, nodes: Int)]

    init(network: ReportData.Network) {
        var nodes: [String: Int] = [:]
        for node in network.nodes {
            if let community = node.community { nodes[community, default: 0] += 1 }
        }
        let ordered = nodes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        communities = zip(ordered.prefix(Self.colours.count), Self.colours).map { (id: $0.key, colour: $1, nodes: $0.value) }
    }

    /// The colour of a community's nodes.
    func colour(of community: String?) -> String {
        communities.first { $0.id == community }?.colour ?? Self.other
    }

    /// The colour of the `index`-th stage of the runs' bars.
    static func stage(_ index: Int) -> String {
        index < colours.count ? colours[index] : other
    }
}
