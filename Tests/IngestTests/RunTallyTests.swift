import Foundation
@testable import Ingest
import MetricsTestKit
import Registry
import Testing

/// One event to the tally shows up in all three of its outputs: the run's summary, the progress
/// snapshot and the metrics (a test factory of its own, so suites running at once do not mix).
@Suite struct RunTallyTests {
    let metrics = TestMetrics()
    let progress = ProgressReporter(label: "test", enabled: false)
    let tally: RunTally

    init() {
        tally = RunTally(progress: progress, metrics: IngestMetrics(factory: metrics))
    }

    @Test func aCommittedBatchReachesSummaryProgressAndMetrics() throws {
        var outcome = BatchCommitter.Outcome()
        outcome.loaded = 3
        outcome.mentions = 10
        outcome.relationships = 8
        outcome.chunks = 2
        outcome.entityNodes = 4
        outcome.entitiesFirstMentioned = 5
        outcome.bytes = 1_000
        outcome.edges.created = 1
        outcome.edges.updated = 2
        outcome.failures = [DocumentFailure(source: "x.txt", stage: .load, reason: "refused")]
        outcome.steps = [.registry: .seconds(2)]
        tally.committed(outcome)

        let summary = tally.summary(seconds: 9)
        #expect(summary.loaded == 3 && summary.mentions == 10 && summary.relationships == 8 && summary.chunks == 2)
        #expect(summary.entities == 5 && summary.bytes == 1_000 && summary.seconds == 9)
        #expect(summary.cooccurrence.edgesCreated == 1 && summary.cooccurrence.edgesUpdated == 2)
        #expect(summary.stageSeconds["commit_registry"] == 2)
        // The failure is counted as a dead letter when the sink reports it, not here.
        #expect(summary.deadLetters == 0)

        let snapshot = progress.snapshot
        #expect(snapshot.documents == 3 && snapshot.bytes == 1_000 && snapshot.mentions == 10)

        #expect(try metrics.expectCounter("graphingest_documents_loaded_total").totalValue == 3)
        #expect(try metrics.expectCounter("graphingest_documents_failed_total").totalValue == 1)
        let rows = { (kind: String) in self.metrics.counterTotal(label: "graphingest_rows_written_total", dimensions: [("kind", kind)]) }
        #expect(rows("documents") == 3 && rows("entities") == 4 && rows("mentions") == 8 && rows("chunks") == 2 && rows("relations") == 3)
    }

    @Test func aClaimCountsWhatItClaimedAndWhatWasUnchanged() throws {
        var outcome = ClaimOutcome()
        outcome.claimed = ["a": RegisteredDocument(id: 1, version: 1), "b": RegisteredDocument(id: 2, version: 1)]
        outcome.unchanged = ["c"]
        tally.claimed(outcome)
        tally.heldByOthers(4)

        let summary = tally.summary(seconds: 0)
        #expect(summary.claimed == 2 && summary.claims == 1 && summary.unchanged == 1)
        #expect(progress.snapshot.claimed == 2 && progress.snapshot.skipped == 1 && progress.snapshot.heldByOthers == 4)
        #expect(try metrics.expectCounter("graphingest_documents_claimed_total").totalValue == 2)
    }

    @Test func deadLettersReachSummaryProgressAndMetrics() throws {
        tally.deadLetters(2)
        tally.deadLetters(0)
        #expect(tally.summary(seconds: 0).deadLetters == 2)
        #expect(progress.snapshot.deadLetters == 2)
        #expect(try metrics.expectCounter("graphingest_dead_letters_total").totalValue == 2)
    }

    @Test func countsWithoutProgressOrMetricsStayInTheSummary() {
        tally.expecting(50)
        tally.read(7)
        tally.unchanged(2)
        tally.extracting(5)
        tally.settledByOthers(1)
        var writes = CooccurrenceSync.Writes()
        writes.deleted = 3
        tally.synced(writes)
        let summary = tally.summary(seconds: 0)
        #expect(summary.read == 7 && summary.unchanged == 2 && summary.extracted == 5 && summary.settledByOthers == 1)
        #expect(summary.cooccurrence.edgesDeleted == 3)
        #expect(progress.snapshot.expectedDocuments == 50 && progress.snapshot.skipped == 2)
    }

    @Test func claimsAndCommitsAreTimedIntoTheirStagesAndHistograms() async throws {
        try await tally.time(.claim) { try await Task.sleep(for: .milliseconds(5)) }
        await tally.time(.commit) { await Task.yield() }
        tally.time(.read) {}
        struct Refused: Error {}
        await #expect(throws: Refused.self) { try await tally.time(.commit) { await Task.yield(); throw Refused() } }

        let seconds = tally.summary(seconds: 0).stageSeconds
        #expect(try #require(seconds["claim"]) >= 0.005)
        #expect(try metrics.expectTimer("graphingest_claim_seconds").values.count == 1)
        #expect(try metrics.expectTimer("graphingest_claim_seconds").values[0] >= 5_000_000)
        // A commit that throws is still one measurement.
        #expect(try metrics.expectTimer("graphingest_commit_batch_seconds").values.count == 2)
        #expect(metrics.timers.count == 2)
    }

    @Test func theSummaryNamesEveryStageAndKeepsItsJSONKeys() throws {
        let summary = tally.summary(seconds: 0)
        #expect(Set(summary.stageSeconds.keys) == [
            "read", "plan", "claim", "extract", "commit", "commit_registry", "commit_registry_pairs", "commit_graph_documents",
            "commit_graph_lock_wait", "commit_graph_lock_held", "commit_cooccurrence", "cooccurrence_sync", "wait_for_others",
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as? [String: Any])
        #expect(Set(object.keys) == [
            "loaded", "unchanged", "read", "extracted", "claimed", "claims", "settled_by_others", "registry_transactions",
            "dead_letters", "mentions", "relationships", "chunks", "entities", "cooccurrence", "bytes", "seconds", "stage_seconds",
        ])
    }
}
