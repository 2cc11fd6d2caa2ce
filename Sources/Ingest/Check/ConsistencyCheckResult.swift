/// The outcome of `graphingest check`: the report, and with `--repair` what was repaired and the
/// report of the check run again afterwards.
public struct ConsistencyCheckResult: Sendable, Codable {
    public var report: ConsistencyReport
    public var repair: ConsistencyRepairSummary?
    public var after: ConsistencyReport?
    /// The communities compared with a fresh computation (nil when not checked: a ranged check,
    /// or `--no-communities`); after a repair, the comparison made after it.
    public var communities: CommunitySummary?
    public var seconds: Double

    /// Whether the graph agrees with the registry at the end (after the repair, if any), and the
    /// communities with a fresh computation.
    public var isConsistent: Bool { (after ?? report).isConsistent && communities?.isConsistent ?? true }

    enum CodingKeys: String, CodingKey {
        case consistent, findings, repair, after, communities, seconds
    }

    public init(report: ConsistencyReport, repair: ConsistencyRepairSummary? = nil, after: ConsistencyReport? = nil, seconds: Double) {
        self.report = report
        self.repair = repair
        self.after = after
        self.seconds = seconds
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        report = ConsistencyReport(findings: try container.decode([ConsistencyFinding].self, forKey: .findings))
        repair = try container.decodeIfPresent(ConsistencyRepairSummary.self, forKey: .repair)
        after = try container.decodeIfPresent(ConsistencyReport.self, forKey: .after)
        communities = try container.decodeIfPresent(CommunitySummary.self, forKey: .communities)
        seconds = try container.decode(Double.self, forKey: .seconds)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isConsistent, forKey: .consistent)
        try container.encode(report.findings, forKey: .findings)
        try container.encodeIfPresent(repair, forKey: .repair)
        try container.encodeIfPresent(after, forKey: .after)
        try container.encodeIfPresent(communities, forKey: .communities)
        try container.encode(seconds, forKey: .seconds)
    }
}
