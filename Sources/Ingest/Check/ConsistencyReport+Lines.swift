import Foundation

extension ConsistencyReport {
    /// The report for a terminal: a line per check with its count, what it means and samples,
    /// then a verdict.
    public var lines: [String] { lines(communities: nil) }

    /// The same, with the communities' comparison as one more check before the verdict.
    public func lines(communities: CommunitySummary?) -> [String] {
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
        var failing = findings.filter { $0.count > 0 }.count
        var checks = findings.count
        if let communities {
            let name = "communities".padding(toLength: width, withPad: " ", startingAt: 0)
            let differing = communities.nodesWritten + communities.parentsWritten + communities.membershipsWritten + communities.nodesDeleted
            var line = "\(communities.isConsistent ? "ok  " : "FAIL") \(name) \(differing)  community nodes and links that differ from a fresh computation"
            if communities.registryDiffers { line += " (the registry's record differs too)" }
            lines.append(line)
            checks += 1
            if !communities.isConsistent { failing += 1 }
        }
        lines.append(failing == 0 ? "consistent" : "inconsistent: \(failing) of \(checks) checks found problems")
        return lines
    }
}
