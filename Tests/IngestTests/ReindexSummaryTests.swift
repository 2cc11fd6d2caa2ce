import Foundation
@testable import Ingest
import Testing

/// `reindex --json` prints one flat object: the pipeline's figures embedded in the summary come
/// out under the names reindex has always used, and no other pipeline figure is added.
@Suite struct ReindexSummaryTests {
    static func object(_ summary: ReindexSummary) throws -> [String: Any] {
        let data = try JSONEncoder().encode(summary)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func theJSONKeepsItsKeysAndTakesThePipelinesFiguresUnderTheirReindexNames() throws {
        var summary = ReindexSummary()
        summary.runID = 9
        summary.new = 1
        summary.changed = 2
        summary.unchanged = 3
        summary.gone = 4
        summary.deleted = 4
        summary.orphansDeleted = 5
        summary.stageSeconds = ["scan": 1, "plan": 2]
        summary.ingest.read = 6
        summary.ingest.extracted = 7
        summary.ingest.loaded = 8
        summary.ingest.unchanged = 9
        summary.ingest.deadLetters = 10
        summary.ingest.mentions = 11
        summary.ingest.relationships = 12
        summary.ingest.claimed = 13
        summary.ingest.cooccurrence.edgesCreated = 14
        summary.ingest.stageSeconds = ["plan": 0.5, "commit": 3]
        summary.goneEdgeWrites.deleted = 15
        let object = try Self.object(summary)
        #expect(Set(object.keys) == [
            "run_id", "dry_run", "new", "changed", "unchanged", "gone", "samples", "documents_read", "documents_extracted", "loaded",
            "unchanged_after_hash", "deleted", "gone_held_by_others", "orphans_deleted", "dead_letters", "mentions", "relationships",
            "cooccurrence", "seconds", "stage_seconds",
        ])
        #expect(object["unchanged"] as? Int == 3)
        #expect(object["documents_read"] as? Int == 6)
        #expect(object["documents_extracted"] as? Int == 7)
        #expect(object["loaded"] as? Int == 8)
        #expect(object["unchanged_after_hash"] as? Int == 9)
        #expect(object["dead_letters"] as? Int == 10)
        #expect(object["relationships"] as? Int == 12)
        let cooccurrence = try #require(object["cooccurrence"] as? [String: Any])
        #expect(cooccurrence["edges_created"] as? Int == 14)
        #expect(cooccurrence["edges_deleted"] as? Int == 15)
        #expect(object["stage_seconds"] as? [String: Double] == ["scan": 1, "plan": 2.5, "commit": 3])
    }

    @Test func aDryRunHasNoRunID() throws {
        var summary = ReindexSummary()
        summary.dryRun = true
        #expect(try Self.object(summary)["run_id"] == nil)
        #expect(try Self.object(summary)["dry_run"] as? Bool == true)
    }
}
