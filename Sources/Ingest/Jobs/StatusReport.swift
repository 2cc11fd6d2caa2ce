import Foundation
public import Registry

/// What `graphingest status` shows: documents per status, totals, the last runs and the open
/// dead letters, all from the registry.
public struct StatusReport: Sendable, Codable {
    /// One recorded run.
    public struct Run: Sendable, Codable {
        public var id: Int64
        public var command: String
        public var startedAt: Date
        public var finishedAt: Date?
        /// The run's figures as the registry keeps them (`runs.figures`, jsonb): the keys and
        /// values its `--json` summary printed, as a JSON object.
        public var figures: [String: RegistryJSON]?

        /// The figures as one line of compact JSON with sorted keys, for the terminal report.
        var figuresText: String? {
            guard let figures else { return nil }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            return (try? encoder.encode(figures)).map { String(decoding: $0, as: UTF8.self) }
        }
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
    /// Communities, and their reports: current, and stale (written for members that changed).
    public var communities = CommunityReportCounts()
    public var lastRuns: [Run]
    public var recentDeadLetters: [DeadLetter]
    /// Documents in `indexing` (the oldest leases first): who holds them, until when.
    public var leased: [Leased]
    /// The processes of `ingest` and `reindex` seen in the last ``workerWindow``.
    public var workers: [Worker]
    /// Per topic partition `consume` loaded from: documents, the highest offset they came from,
    /// and (with `status --brokers`) the group's committed offset.
    public var streams: [Stream] = []

    /// One topic partition of `consume`'s lineage.
    public struct Stream: Sendable, Codable {
        public var topic: String
        public var partition: Int32
        public var documents: Int
        public var highestOffset: Int64
        /// The next offset the group will read, when the brokers were asked.
        public var committedOffset: Int64?
    }

    /// How far back `status` lists workers.
    public static let workerWindow: Duration = .seconds(600)

    /// One document in `indexing`.
    public struct Leased: Sendable, Codable {
        public var id: Int64
        public var source: String
        public var holder: String?
        public var leaseUntil: Date?
    }

    /// One worker process.
    public struct Worker: Sendable, Codable {
        public var id: String
        public var host: String
        public var pid: Int32
        public var command: String
        public var startedAt: Date
        public var seenAt: Date
        public var finishedAt: Date?
        /// Not finished, and seen within its lease.
        public var running: Bool
    }

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
        if communities.communities > 0 || communities.stale > 0 {
            var line = "communities: \(communities.communities); reports: \(communities.current) current, \(communities.stale) stale"
            if communities.current < communities.communities {
                line += " (graphingest communities --export-context FILE --stale exports those without one)"
            }
            lines.append(line)
        }
        let formatter = ISO8601DateFormatter()
        let indexing = documents[DocumentStatus.indexing.rawValue] ?? 0
        if indexing > 0 {
            lines.append("indexing: \(indexing) documents leased" + (indexing > leased.count ? " (the \(leased.count) oldest leases:)" : ":"))
            for document in leased {
                let until = document.leaseUntil.map { ($0 < Date() ? "expired " : "until ") + formatter.string(from: $0) } ?? "no lease"
                lines.append("  #\(document.id) \(document.source) held by \(document.holder ?? "-") \(until)")
            }
        }
        lines.append("workers seen in the last \(Int(Self.workerWindow / .seconds(60))) minutes: \(workers.count)")
        for worker in workers {
            let state = worker.running ? "running" : worker.finishedAt != nil ? "finished" : "gone (not seen within its lease)"
            lines.append("  \(worker.command) \(worker.id) (host \(worker.host), pid \(worker.pid)) started \(formatter.string(from: worker.startedAt)), last seen \(formatter.string(from: worker.seenAt)), \(state)")
        }
        for stream in streams {
            let committed = stream.committedOffset.map { ", group committed \($0)" } ?? ""
            lines.append("stream \(stream.topic) partition \(stream.partition): \(stream.documents) documents, last loaded offset \(stream.highestOffset)\(committed)")
        }
        lines.append("dead letters (open): \(openDeadLetters)")
        for letter in recentDeadLetters {
            lines.append("  #\(letter.id) run \(letter.runID.map(String.init) ?? "-") \(letter.stage) \(letter.source): \(letter.error)")
        }
        lines.append("last runs:")
        for run in lastRuns {
            let finished = run.finishedAt.map { "finished \(formatter.string(from: $0))" } ?? "not finished"
            lines.append("  #\(run.id) \(run.command) started \(formatter.string(from: run.startedAt)), \(finished)\(run.figuresText.map { " \($0)" } ?? "")")
        }
        return lines
    }
}
