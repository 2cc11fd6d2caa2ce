import Foundation
import Registry

/// What `graphingest status` shows: documents per status, totals, the last runs and the open
/// dead letters, all from the registry.
public struct StatusReport: Sendable, Codable {
    /// One recorded run.
    public struct Run: Sendable, Codable {
        public var id: Int64
        public var command: String
        public var startedAt: Date
        public var finishedAt: Date?
        /// The run's figures as JSON text (what `--json` printed for it).
        public var figures: String?
    }

    /// One open dead letter.
    public struct DeadLetter: Sendable, Codable {
        public var id: Int64
        public var runID: Int64?
        public var source: String
        public var stage: String
        public var error: String
    }

    public var documents: [String: Int]
    public var entities: Int
    public var mentionRelationships: Int
    public var mentions: Int
    /// CO_OCCURS_WITH the graph should hold (pair totals at the threshold), of `pairs` pairs
    /// counted; `pendingRelations` not written yet; the threshold in force.
    public var relations: Int
    public var pairs: Int
    public var pendingRelations: Int
    public var minimumCooccurrence: Int?
    public var openDeadLetters: Int
    public var lastRuns: [Run]
    public var recentDeadLetters: [DeadLetter]

    /// The report as lines for a terminal.
    public var lines: [String] {
        var lines: [String] = []
        let statuses = DocumentStatus.allCases.map { "\($0.rawValue) \(documents[$0.rawValue] ?? 0)" }.joined(separator: ", ")
        lines.append("documents: \(statuses)")
        lines.append("entities: \(entities); MENTIONS: \(mentionRelationships) (\(mentions) mentions)")
        var relationLine = "relations: \(relations) CO_OCCURS_WITH"
        if let minimumCooccurrence { relationLine += " (pairs seen in \(minimumCooccurrence)+ windows, of \(pairs) pairs counted)" }
        if pendingRelations > 0 { relationLine += "; \(pendingRelations) not written yet (the next ingest or reindex writes them)" }
        lines.append(relationLine)
        lines.append("dead letters (open): \(openDeadLetters)")
        for letter in recentDeadLetters {
            lines.append("  #\(letter.id) run \(letter.runID.map(String.init) ?? "-") \(letter.stage) \(letter.source): \(letter.error)")
        }
        lines.append("last runs:")
        let formatter = ISO8601DateFormatter()
        for run in lastRuns {
            let finished = run.finishedAt.map { "finished \(formatter.string(from: $0))" } ?? "not finished"
            lines.append("  #\(run.id) \(run.command) started \(formatter.string(from: run.startedAt)), \(finished)\(run.figures.map { " \($0)" } ?? "")")
        }
        return lines
    }
}

extension GraphIngestServers {
    /// `graphingest status`.
    public func status(runs: Int = 5, deadLetters: Int = 10) async throws -> StatusReport {
        try await requireMigrated()
        let counts = try await registry.statusCounts()
        let totals = try await registry.totals()
        let lastRuns = try await registry.lastRuns(runs)
        let letters = try await registry.listDeadLetters(limit: deadLetters)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return StatusReport(
            documents: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            entities: totals.entities, mentionRelationships: totals.mentionRelationships, mentions: totals.mentions,
            relations: totals.relations, pairs: totals.pairs, pendingRelations: totals.pendingRelations,
            minimumCooccurrence: totals.minimumCooccurrence,
            openDeadLetters: try await registry.openDeadLetterCount(),
            lastRuns: lastRuns.map { run in
                StatusReport.Run(id: run.id, command: run.command, startedAt: run.startedAt, finishedAt: run.finishedAt,
                                 figures: run.figures.flatMap { try? encoder.encode($0) }.map { String(decoding: $0, as: UTF8.self) })
            },
            recentDeadLetters: letters.map {
                StatusReport.DeadLetter(id: $0.id, runID: $0.runID, source: $0.source, stage: $0.stage.rawValue, error: $0.error)
            })
    }
}
