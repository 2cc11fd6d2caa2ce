import Extraction
import GraphStore
import Ingest
import Registry
import Testing

@Suite struct IngestExitCodeTests {
    @Test func codesMatchTheCLIContract() {
        #expect(IngestExitCode.success.rawValue == 0)
        #expect(IngestExitCode.finishedWithProblems.rawValue == 1)
        #expect(IngestExitCode.usage.rawValue == 2)
        #expect(IngestExitCode.serverUnreachable.rawValue == 3)
        #expect(IngestExitCode.stopped.rawValue == 4)
    }

    /// 2 for what the user must fix, 3 for a server out of reach, 4 for a run that stopped for
    /// another reason; never 1, which says a run finished (with dead letters).
    @Test func errorsMapToTheirCodes() {
        let cases: [(any Error, IngestExitCode)] = [
            (IngestError(.configuration, "no Bolt server"), .usage),
            (IngestError(.unreachable, "cannot reach PostgreSQL"), .serverUnreachable),
            (GraphStoreError(.configuration, "bad URI"), .usage),
            (GraphStoreError(.unreachable, "connection refused"), .serverUnreachable),
            (GraphStoreError(.refused, "syntax"), .stopped),
            (GraphStoreError(.failed, "retries exhausted"), .stopped),
            (RegistryError(.connectionFailed, operation: "connect", message: "refused"), .serverUnreachable),
            (RegistryError(.connectionLost, operation: "markLoaded", message: "lost"), .serverUnreachable),
            (RegistryError(.server, operation: "markLoaded", message: "disk full"), .stopped),
            (ExtractionError(.unreadable, message: "cannot open", path: "g.tsv"), .usage),
            (CancellationError(), .stopped),
        ]
        for (error, code) in cases {
            #expect(FailureReport.exitCode(for: error) == code, "\(error)")
        }
    }

    /// Passwords never reach a run's record, a message or a log line.
    @Test(arguments: [
        ("--postgres=postgresql://ingest:s3cret@db.example/graph", "--postgres=postgresql://ingest:***@db.example/graph"),
        ("host=db password=s3cret dbname=graph", "host=db password=*** dbname=graph"),
        ("host=db password='s3 cret\\'x' dbname=graph", "host=db password=*** dbname=graph"),
        ("bolt+s://neo4j:pa:ss@graph.example:7687", "bolt+s://neo4j:***@graph.example:7687"),
        ("postgresql://db.example/graph", "postgresql://db.example/graph"),
    ])
    func passwordsAreRedacted(text: String, expected: String) {
        #expect(CredentialRedaction.redact(text, secrets: []) == expected)
    }

    @Test func secretsAreRedactedWherever() {
        #expect(CredentialRedaction.redact("failed: token abc123xyz rejected", secrets: ["abc123xyz"]) == "failed: token *** rejected")
    }
}
