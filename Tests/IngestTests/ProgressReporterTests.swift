@testable import Ingest
import Testing

@Suite struct ProgressReporterTests {
    @Test func lineShowsCountsRateAndETA() {
        var snapshot = ProgressSnapshot()
        snapshot.documents = 50
        snapshot.expectedDocuments = 150
        snapshot.bytes = 2_500_000
        snapshot.mentions = 1234
        snapshot.skipped = 3
        let line = ProgressReporter.format(label: "ingest", snapshot: snapshot, elapsed: 10)
        #expect(line == "ingest: 50 documents, 2.5 MB, 1234 mentions, 3 unchanged, 5.0 docs/s, ETA 20s")
    }

    @Test func countersAccumulateAcrossUpdates() {
        let reporter = ProgressReporter(label: "t", enabled: false)
        reporter.update { $0.documents += 2 }
        reporter.update { $0.deadLetters += 1 }
        #expect(reporter.snapshot.documents == 2)
        #expect(reporter.snapshot.deadLetters == 1)
    }

    @Test func numberFormatting() {
        #expect(formatted(1.25, digits: 1) == "1.3")
        #expect(formatted(0.05, digits: 2) == "0.05")
        #expect(formatted(-3, digits: 0) == "-3")
    }
}
