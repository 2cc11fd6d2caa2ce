import Ingest
import Testing

@Suite struct IngestExitCodeTests {
    @Test func codesMatchTheCLIContract() {
        #expect(IngestExitCode.success.rawValue == 0)
        #expect(IngestExitCode.finishedWithProblems.rawValue == 1)
        #expect(IngestExitCode.usage.rawValue == 2)
        #expect(IngestExitCode.serverUnreachable.rawValue == 3)
    }
}
