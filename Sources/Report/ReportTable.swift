/// A data table of the page: a caption, column headers, and rows whose first cell heads the row.
/// Cells are HTML already (escaped by whoever made them), so a cell may hold a link.
struct ReportTable {
    var caption: String
    var headers: [String]
    /// Columns (by index) that hold numbers: right-aligned, in tabular figures.
    var numeric: Set<Int> = []
    var rows: [[String]]

    /// The table in a wrapper that scrolls sideways in a narrow window.
    var html: String {
        var html = "<div class=\"scroll\"><table>\n<caption>\(ReportText.escape(caption))</caption>\n<thead><tr>"
        for (index, header) in headers.enumerated() {
            html += "<th scope=\"col\"\(numeric.contains(index) ? " class=\"num\"" : "")>\(ReportText.escape(header))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                let tag = index == 0 ? "th scope=\"row\"" : "td"
                let close = index == 0 ? "th" : "td"
                html += "<\(tag)\(numeric.contains(index) ? " class=\"num\"" : "")>\(cell)</\(close)>"
            }
            html += "</tr>\n"
        }
        if rows.isEmpty {
            html += "<tr><td colspan=\"\(headers.count)\">None.</td></tr>\n"
        }
        return html + "</tbody>\n</table></div>\n"
    }
}
