import Foundation

extension ConsistencyReport {
    /// The report for a terminal: a line per check with its count, what it means and samples,
    /// then a verdict.
    public var lines: [String] {
        var lines: [String] = []
        let width = ConsistencyCheck.allCases.map(\.rawValue.count).max() ?? 0
        for finding in findings {
            let name = finding.check.rawValue.padding(toLength: width, withPad: " ", startingAt: 0)
            var line = "\(finding.count == 0 ? "ok  " : "FAIL") \(name) \(finding.count)  \(finding.check.summary)"
            if !finding.samples.isEmpty {
                line += " (e.g. \(finding.samples.joined(separator: ", ")))"
            }
            lines.append(line)
        }
        let failing = findings.filter { $0.count > 0 }.count
        lines.append(isConsistent ? "consistent" : "inconsistent: \(failing) of \(findings.count) checks found problems")
        return lines
    }
}
