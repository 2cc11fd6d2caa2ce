/// The runs: a stacked bar per run of the time each stage was busy, and the table beneath.
extension ReportRenderer {
    func runsSection(_ runs: [ReportData.Run]) -> String {
        guard !runs.isEmpty else { return section("runs", "Runs", paragraph("No run recorded yet.")) }
        let stages = Self.stageOrder(runs)
        var body = paragraph("""
            Each bar is one run's stages, as busy time summed over their tasks: stages run side by side, so a bar can be \
            longer than the run's wall time.
            """)
        body += "<figure>\n" + runBars(runs, stages: stages)
        body += "<figcaption>Time per stage of the last \(runs.count) runs, newest first.</figcaption>\n"
        body += "<ul class=\"legend\">\n"
        for (index, stage) in stages.enumerated() {
            body += "<li><span class=\"swatch\" style=\"background:\(ReportPalette.stage(index))\"></span>\(ReportText.escape(stage))</li>\n"
        }
        body += "</ul>\n</figure>\n"
        return section("runs", "Runs", body + runTable(runs, stages: stages).html)
    }

    /// Every stage of the runs once, in the order the runs list them: a stage one run lacks
    /// keeps its place after the stage it follows in the others.
    static func stageOrder(_ runs: [ReportData.Run]) -> [String] {
        var order: [String] = []
        for run in runs {
            var previous: Int?
            for stage in run.stages {
                if let index = order.firstIndex(of: stage.name) {
                    previous = index
                } else {
                    let index = previous.map { $0 + 1 } ?? 0
                    order.insert(stage.name, at: index)
                    previous = index
                }
            }
        }
        return order
    }

    private func runBars(_ runs: [ReportData.Run], stages: [String]) -> String {
        let label = 150.0, barWidth = 640.0, row = 28.0, width = 960.0
        let longest = runs.map { $0.stages.reduce(0) { $0 + max(0, $1.seconds) } }.max() ?? 0
        let scale = longest > 0 ? barWidth / longest : 0
        let height = row * Double(runs.count) + 8
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(ReportText.coordinate(height))" role="img" aria-labelledby="runs-svg-title">
            <title id="runs-svg-title">Time per stage of each run, as stacked bars</title>

            """
        for (index, run) in runs.enumerated() {
            let y = 4 + row * Double(index)
            svg += "<g class=\"run\"><text x=\"0\" y=\"\(ReportText.coordinate(y + 18))\">#\(run.id) \(ReportText.escape(run.command))</text>\n"
            var x = label
            for stage in run.stages where stage.seconds > 0 {
                let colour = ReportPalette.stage(stages.firstIndex(of: stage.name) ?? stages.count)
                let w = stage.seconds * scale
                svg += "<rect x=\"\(ReportText.coordinate(x))\" y=\"\(ReportText.coordinate(y + 4))\" width=\"\(ReportText.coordinate(w))\" height=\"20\" fill=\"\(colour)\">"
                svg += "<title>\(ReportText.escape(stage.name)): \(ReportText.decimal(stage.seconds, digits: 2)) s</title></rect>\n"
                x += w
            }
            let wall = run.seconds.map { ", wall \(ReportText.decimal($0)) s" } ?? ""
            let busy = run.stages.reduce(0) { $0 + max(0, $1.seconds) }
            svg += "<text x=\"\(ReportText.coordinate(x + 6))\" y=\"\(ReportText.coordinate(y + 18))\">\(ReportText.decimal(busy)) s busy\(wall)</text></g>\n"
        }
        return svg + "</svg>\n"
    }

    private func runTable(_ runs: [ReportData.Run], stages: [String]) -> ReportTable {
        let fixed = ["run", "command", "started", "wall (s)", "documents", "documents/s", "bytes"]
        let rows = runs.map { run -> [String] in
            let wall: String = run.seconds.map { ReportText.decimal($0, digits: 2) } ?? (run.finishedAt == nil ? "not finished" : "–")
            let documents: String = run.documents.map(ReportText.integer) ?? "–"
            let rate: String = run.documentsPerSecond.map { ReportText.decimal($0) } ?? "–"
            let bytes: String = run.bytes.map(ReportText.bytes) ?? "–"
            var cells: [String] = ["#\(run.id)", ReportText.escape(run.command), ReportText.time(run.startedAt), wall, documents, rate, bytes]
            for stage in stages {
                let seconds: String? = run.stages.first { $0.name == stage }.map { ReportText.decimal($0.seconds, digits: 2) }
                cells.append(seconds ?? "–")
            }
            return cells
        }
        return ReportTable(caption: "Runs, newest first (stage times in seconds)", headers: fixed + stages.map { "\($0) (s)" },
                           numeric: Set([3, 4, 5, 6] + stages.indices.map { $0 + fixed.count }), rows: rows)
    }
}
