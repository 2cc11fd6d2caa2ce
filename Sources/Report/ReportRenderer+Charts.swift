/// The distributions: chunk sizes and mentions per document, each a bar chart with its table.
extension ReportRenderer {
    func chartsSection(_ data: ReportData) -> String {
        let chunks = histogram(
            data.chunkSizes, id: "chunk-sizes", title: "Chunk sizes", unit: "code points",
            empty: "No chunks recorded (a run with --no-chunks, or nothing loaded).")
        let mentions = histogram(
            data.mentionsPerDocument, id: "mentions-per-document", title: "Mentions per loaded document", unit: "mentions",
            empty: "No loaded document.")
        return section("distributions", "Distributions", chunks + mentions)
    }

    /// A histogram as a bar chart with its figures in a table beneath.
    private func histogram(_ histogram: ReportHistogram, id: String, title: String, unit: String, empty: String) -> String {
        var html = "<h3 id=\"\(id)\">\(ReportText.escape(title))</h3>\n"
        guard !histogram.bins.isEmpty else { return html + paragraph(empty) }
        let mean = histogram.mean.map { ", mean \(ReportText.decimal($0))" } ?? ""
        let caption = "\(title): \(ReportText.integer(histogram.items)) items in \(histogram.bins.count) bins of \(unit)\(mean)."
        html += "<figure>\n" + bars(histogram, id: id, title: title, unit: unit)
        html += "<figcaption>\(ReportText.escape(caption))</figcaption>\n</figure>\n"
        html += ReportTable(
            caption: "\(title) (\(unit))", headers: [unit, "count"], numeric: [1],
            rows: histogram.bins.map { bin in
                [bin.lower == bin.upper ? ReportText.integer(bin.lower) : "\(ReportText.integer(bin.lower))–\(ReportText.integer(bin.upper))",
                 ReportText.integer(bin.count)]
            }).html
        return html
    }

    private func bars(_ histogram: ReportHistogram, id: String, title: String, unit: String) -> String {
        let width = 960.0, height = 240.0, left = 60.0, bottom = 28.0, top = 12.0
        let plotWidth = width - left - 10, plotHeight = height - bottom - top
        let highest = Double(histogram.bins.map(\.count).max() ?? 1)
        let barWidth = plotWidth / Double(histogram.bins.count)
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" role="img" aria-labelledby="\(id)-svg-title">
            <title id="\(id)-svg-title">\(ReportText.escape(title)), a bar per bin of \(ReportText.escape(unit))</title>
            <rect class="axis" x="\(Int(left))" y="\(Int(height - bottom))" width="\(Int(plotWidth))" height="1"/>
            <text x="\(Int(left - 6))" y="\(Int(top + 10))" text-anchor="end">\(ReportText.integer(Int(highest)))</text>
            <text x="\(Int(left - 6))" y="\(Int(height - bottom))" text-anchor="end">0</text>

            """
        for (index, bin) in histogram.bins.enumerated() {
            let h = Double(bin.count) / max(1, highest) * plotHeight
            let x = left + Double(index) * barWidth
            svg += "<rect class=\"bar\" x=\"\(ReportText.coordinate(x + 1))\" y=\"\(ReportText.coordinate(height - bottom - h))\" "
            svg += "width=\"\(ReportText.coordinate(max(1, barWidth - 2)))\" height=\"\(ReportText.coordinate(h))\">"
            svg += "<title>\(ReportText.integer(bin.lower))–\(ReportText.integer(bin.upper)) \(ReportText.escape(unit)): \(ReportText.integer(bin.count))</title></rect>\n"
        }
        let last = histogram.bins[histogram.bins.count - 1]
        svg += "<text x=\"\(Int(left))\" y=\"\(Int(height - 8))\">\(ReportText.integer(histogram.bins[0].lower))</text>\n"
        svg += "<text x=\"\(Int(left + plotWidth))\" y=\"\(Int(height - 8))\" text-anchor=\"end\">\(ReportText.integer(last.upper))</text>\n"
        return svg + "</svg>\n"
    }
}
