import Foundation
@testable import Ingest
import Registry
import Testing

/// `status`: a run's figures are a JSON object in `--json` (as the registry keeps them), and the
/// terminal report prints them as one line of JSON, as before.
@Suite struct StatusReportTests {
    static let figures: [String: RegistryJSON] = [
        "run_id": 1, "loaded": 3, "seconds": 1.5, "stage_seconds": ["read": 0.25], "orphan_candidates": [4, 7],
    ]

    static func report(figures: [String: RegistryJSON]?) -> StatusReport {
        StatusReport(documents: ["loaded": 3], entities: 2, mentionRelationships: 5, mentions: 6, relations: 1, pairs: 1,
                     pendingRelations: 0, minimumCooccurrence: 2, openDeadLetters: 0,
                     lastRuns: [StatusReport.Run(id: 1, command: "ingest", startedAt: Date(timeIntervalSince1970: 0),
                                                 finishedAt: Date(timeIntervalSince1970: 2), figures: figures)],
                     recentDeadLetters: [], leased: [], workers: [])
    }

    @Test func jsonHasEachRunsFiguresAsAnObject() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(Self.report(figures: Self.figures))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let runs = try #require(object["lastRuns"] as? [[String: Any]])
        let figures = try #require(runs.first?["figures"] as? [String: Any])
        #expect(figures["loaded"] as? Int == 3)
        #expect(figures["seconds"] as? Double == 1.5)
        #expect((figures["stage_seconds"] as? [String: Double])?["read"] == 0.25)
        #expect(figures["orphan_candidates"] as? [Int] == [4, 7])
    }

    @Test func aRunWithoutFiguresHasNone() throws {
        let data = try JSONEncoder().encode(Self.report(figures: nil))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let runs = try #require(object["lastRuns"] as? [[String: Any]])
        #expect(runs.first?["figures"] == nil)
        #expect(Self.report(figures: nil).lines.last == "  #1 ingest started 1970-01-01T00:00:00Z, finished 1970-01-01T00:00:02Z")
    }

    @Test func theTerminalReportPrintsTheFiguresAsOneLineOfJSON() {
        #expect(Self.report(figures: Self.figures).lines.last == "  #1 ingest started 1970-01-01T00:00:00Z, finished 1970-01-01T00:00:02Z "
            + #"{"loaded":3,"orphan_candidates":[4,7],"run_id":1,"seconds":1.5,"stage_seconds":{"read":0.25}}"#)
    }
}
