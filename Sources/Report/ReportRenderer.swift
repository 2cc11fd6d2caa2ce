/// Turns a ``ReportData`` into one self-contained HTML page: inline CSS and inline SVG, no
/// script, no fonts, no network (a Content-Security-Policy forbids every fetch). Pure and
/// deterministic: the same value gives the same bytes, and every text from the data is escaped.
public struct ReportRenderer: Sendable {
    /// The SVG canvas of the network, in user units.
    static let networkWidth = 960.0
    static let networkHeight = 640.0

    public init() {}

    /// The page.
    public func render(_ data: ReportData) -> String {
        let palette = ReportPalette(network: data.network)
        var page = head(data)
        page += "<main>\n"
        // What a reader asks first comes first: what is in it, and whether it has structure.
        page += corpusSection(data)
        page += networkSection(data.network, palette: palette, communities: data.communities)
        page += communitiesSection(data, palette: palette)
        page += entitiesSection(data)
        page += chartsSection(data)
        page += runsSection(data.runs)
        page += deadLettersSection(data)
        page += "</main>\n"
        page += "<footer><p>Written by <code>graphingest report</code> from the registry; every list holds at most "
        page += "\(data.top) items (<code>--top</code>).</p></footer>\n</body>\n</html>\n"
        return page
    }

    /// The document's head, the page title and the table of contents.
    private func head(_ data: ReportData) -> String {
        let asOf = data.asOf.map { "as of the last run, " + ReportText.time($0) } ?? "before any run"
        let sections = [("corpus", "Corpus"), ("network", "Network"), ("communities", "Communities"), ("entities", "Top entities"),
                        ("distributions", "Distributions"), ("runs", "Runs"), ("dead-letters", "Dead letters")]
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>GraphIngest report</title>
            <style>
            \(ReportStyle.css)</style>
            </head>
            <body>
            <header>
            <h1>GraphIngest report</h1>
            <p class="note">The registry \(asOf).</p>
            <nav aria-label="Sections"><ul>
            """
        html += "\n"
        for (id, title) in sections {
            html += "<li><a href=\"#\(id)\">\(title)</a></li>\n"
        }
        return html + "</ul></nav>\n</header>\n"
    }

    /// A section with a heading whose id the table of contents links to.
    func section(_ id: String, _ title: String, _ body: String) -> String {
        "<section id=\"\(id)\" aria-labelledby=\"\(id)-title\">\n<h2 id=\"\(id)-title\">\(title)</h2>\n\(body)</section>\n"
    }

    /// A paragraph of plain text.
    func paragraph(_ text: String) -> String {
        "<p>\(ReportText.escape(text))</p>\n"
    }
}
