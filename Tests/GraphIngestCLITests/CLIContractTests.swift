import Foundation
import IntegrationSupport
import Testing

/// Runs the built `graphingest` binary and checks its exit codes and messages.
@Suite struct CLIContractTests {
    static func run(_ arguments: [String]) throws -> Shell.Output {
        try Shell.execute(IntegrationEnvironment.graphingest, arguments)
    }

    static let precision = IntegrationEnvironment.fixturesDirectory.appendingPathComponent("precision").path

    @Test func gazetteerLintReportsThePlantedAliasesAndExitsOne() throws {
        let result = try Self.run(["gazetteer", "lint", Self.precision + "/lint-gazetteer.tsv", Self.precision + "/lint-corpus",
                                   "--function-words", Self.precision + "/function-words.txt",
                                   "--common-words", Self.precision + "/common-words.txt", "--json"])
        #expect(result.status == 1, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        func normalized(_ kind: String) -> [String] {
            (report[kind] as? [[String: Any]] ?? []).compactMap { ($0["normalized"] ?? ($0["alias"] as? [String: Any])?["normalized"]) as? String }
        }
        #expect(normalized("functionWords") == ["to"])
        #expect(normalized("commonWords") == ["date", "port"])
        #expect(normalized("short") == ["to", "us"])
        #expect(normalized("shared") == ["springfield"])
        #expect(normalized("mostlyLowercase") == ["date"])
        #expect(result.stderr.contains("gazetteer lint: 7 findings (1 documents read, 0 rejected)"))
    }

    @Test func gazetteerLintOfACleanGazetteerExitsZero() throws {
        let result = try Self.run(["gazetteer", "lint", Self.precision + "/clean-gazetteer.tsv", Self.precision + "/lint-corpus"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("gazetteer lint: 0 findings"))
    }

    @Test func aMissingWordListIsAConfigurationErrorNamingIt() throws {
        let result = try Self.run(["extract", Self.precision + "/lint-corpus", "--gazetteer", Self.precision + "/gazetteer.tsv",
                                   "--common-words", "/nonexistent/words"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/words"))
        let bad = try Self.run(["extract", Self.precision + "/lint-corpus", "--gazetteer", Self.precision + "/gazetteer.tsv", "--case", "upper"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--case"))
    }

    @Test func reindexWithoutAGazetteerIsAUsageError() throws {
        let result = try Self.run(["reindex", "x"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--gazetteer"))
        #expect(result.stdout.isEmpty)
    }

    @Test func checkWithUnreachableServersExitsThree() throws {
        let result = try Self.run(["check", "--bolt", "bolt://127.0.0.1:1", "--postgres", "host=127.0.0.1 port=1 dbname=x connect_timeout=3"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("cannot reach PostgreSQL"))
        #expect(result.stdout.isEmpty)
    }

    @Test func helpListsEveryCommand() throws {
        let result = try Self.run(["--help"])
        #expect(result.status == 0)
        for command in ["init", "extract", "load", "ingest", "reindex", "check", "status", "query"] {
            #expect(result.stdout.contains(command))
        }
    }

    /// `consume` reads no files and always waits for documents other processes hold: its help
    /// lists neither the file options nor `--no-wait`, and they are usage errors there.
    @Test func consumeHelpListsOnlyTheOptionsConsumeUses() throws {
        let help = try Self.run(["consume", "--help"])
        #expect(help.status == 0)
        for option in ["--brokers", "--broker-timeout", "--gazetteer", "--id-field", "--chunk-size", "--lease", "--metrics-port", "--no-communities"] {
            #expect(help.stdout.contains(option), "\(option) missing: \(help.stdout)")
        }
        for option in ["--include", "--exclude", "--max-file-size", "--no-wait"] {
            #expect(!help.stdout.contains(option), "\(option) listed: \(help.stdout)")
        }
        let stream = ["consume", "--brokers", "127.0.0.1:1", "--topic", "t", "--gazetteer", "g.tsv"]
        #expect(try Self.run(stream + ["--include", "*.txt"]).status == 2)
        #expect(try Self.run(stream + ["--no-wait"]).status == 2)
        let short = try Self.run(stream + ["--broker-timeout", "500ms"])
        #expect(short.status == 2 && short.stderr.contains("--broker-timeout must be at least 1s"), "\(short.stderr)")
        let ingest = try Self.run(["ingest", "--help"])
        for option in ["--include", "--exclude", "--max-file-size", "--no-wait", "--lease"] {
            #expect(ingest.stdout.contains(option), "\(option) missing from ingest: \(ingest.stdout)")
        }
    }

    @Test func unknownOptionIsAUsageError() throws {
        #expect(try Self.run(["status", "--no-such-option"]).status == 2)
        #expect(try Self.run(["load"]).status == 2)  // a missing argument
        #expect(try Self.run(["ingest", "x", "--gazetteer", "g.tsv", "--workers", "0"]).status == 2)  // validation
        #expect(try Self.run(["extract", "x", "--gazetteer", "g.tsv", "--ambiguous", "some"]).status == 2)
        #expect(try Self.run(["status", "--dialect", "falkordb", "--bolt", "bolt://127.0.0.1:1"]).status == 2)
    }

    /// A bad value of each typed option, with the command that takes it and the option's text in
    /// ArgumentParser's message ("The value 'X' is invalid for '--option <value>'").
    static let badValues: [(arguments: [String], option: String)] = [
        (["extract", "x", "--gazetteer", "g.tsv", "--max-file-size", "12XB"], "--max-file-size <size>"),
        (["extract", "x", "--gazetteer", "g.tsv", "--max-file-size=-1"], "--max-file-size <size>"),
        (["extract", "x", "--gazetteer", "g.tsv", "--max-file-size", "9999999999GB"], "--max-file-size <size>"),
        (["ingest", "x", "--gazetteer", "g.tsv", "--lease", "soon"], "--lease <duration>"),
        (["reindex", "x", "--gazetteer", "g.tsv", "--lease=-5s"], "--lease <duration>"),
        (["check", "--part", "3/2"], "--part <K/N>"),
        (["check", "--part", "1"], "--part <K/N>"),
        (["check", "--part", "0/4"], "--part <K/N>"),
        (["extract", "x", "--gazetteer", "g.tsv", "--ambiguous", "some"], "--ambiguous <ambiguous>"),
        (["extract", "x", "--gazetteer", "g.tsv", "--on-bad-line", "maybe"], "--on-bad-line <on-bad-line>"),
        (["extract", "x", "--gazetteer", "g.tsv", "--case", "upper"], "--case <case>"),
        (["context", "a question", "--gazetteer", "g.tsv", "--case", "upper"], "--case <case>"),
        (["gazetteer", "lint", "g.tsv", "--case", "upper"], "--case <case>"),
        (["extract", "x", "--gazetteer", "g.tsv", "--cooccurrence-window", "paragraph"], "--cooccurrence-window <cooccurrence-window>"),
        (["status", "--dialect", "falkordb", "--bolt", "bolt://127.0.0.1:1"], "--dialect <dialect>"),
        (["load", "-", "--log-format", "xml"], "--log-format <log-format>"),
        (["ingest", "x", "--gazetteer", "g.tsv", "--log-level", "loud"], "--log-level <log-level>"),
        (["consume", "--brokers", "127.0.0.1:1", "--topic", "t", "--gazetteer", "g.tsv", "--broker-timeout", "soon"], "--broker-timeout <duration>"),
    ]

    /// Every typed option refuses a bad value as it is parsed: exit 2, a message naming the option
    /// and a help line saying what it takes, nothing on stdout, and no server or file touched
    /// (none of these exist).
    @Test(arguments: badValues)
    func aBadValueIsAUsageErrorNamingTheOption(arguments: [String], option: String) throws {
        let result = try Self.run(arguments)
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("is invalid for '\(option)'"), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("Help:  \(option)"), "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    /// Good values are read and used: a size with a unit bounds the files, the enums and
    /// `--part` get a command as far as its servers, and `--log-format json` (read in the same
    /// parse as the rest) turns the error into a JSON log line.
    @Test func goodValuesOfTheTypedOptionsAreUsed() throws {
        let demo = IntegrationEnvironment.fixturesDirectory.appendingPathComponent("demo")
        let sized = try Self.run([
            "extract", demo.appendingPathComponent("corpus/europe").path, "--gazetteer", demo.appendingPathComponent("gazetteer.tsv").path,
            "--max-file-size", "300b", "--ambiguous", "first", "--on-bad-line", "skip", "--cooccurrence-window", "chunk", "--out", "/dev/null",
        ])
        #expect(sized.status == 1, "\(sized.stderr)")
        #expect(sized.stderr.contains("rejected paris.txt: larger than the 300-byte limit"), "\(sized.stderr)")
        let unreachable = ["--bolt", "bolt://127.0.0.1:1", "--postgres", "host=127.0.0.1 port=1 dbname=x connect_timeout=3"]
        let check = try Self.run(["check", "--part", "2/4", "--dialect", "memgraph"] + unreachable)
        #expect(check.status == 3, "\(check.stderr)")
        let ingest = try Self.run(["ingest", demo.appendingPathComponent("corpus").path, "--gazetteer", demo.appendingPathComponent("gazetteer.tsv").path,
                                   "--lease", "1500ms", "--log-format", "json", "--log-level", "debug", "--dialect", "neo4j"] + unreachable)
        #expect(ingest.status == 3, "\(ingest.stderr)")
        #expect(ingest.stderr.hasPrefix("{") && ingest.stderr.contains("\"level\":\"error\""), "\(ingest.stderr)")
    }

    @Test func aLeaseUnderASecondAndAContextWithoutAGazetteerAreUsageErrors() throws {
        let lease = try Self.run(["ingest", "x", "--gazetteer", "g.tsv", "--lease", "500ms"])
        #expect(lease.status == 2 && lease.stderr.contains("--lease must be at least 1s"), "\(lease.stderr)")
        let context = try Self.run(["context", "a question"])
        #expect(context.status == 2 && context.stderr.contains("--gazetteer is required"), "\(context.stderr)")
    }

    @Test func coOccurrenceOptionsOutOfRangeAreUsageErrors() throws {
        let corpus = ["x", "--gazetteer", "g.tsv"]
        let window = try Self.run(["extract"] + corpus + ["--cooccurrence-window", "paragraph"])
        #expect(window.status == 2 && window.stderr.contains("'--cooccurrence-window <cooccurrence-window>'. Please provide one of 'sentence' and 'chunk'"),
                "\(window.stderr)")
        #expect(try Self.run(["extract"] + corpus + ["--max-entities-per-window", "-1"]).status == 2)
        let chunkless = try Self.run(["extract"] + corpus + ["--cooccurrence-window", "chunk", "--no-chunks"])
        #expect(chunkless.status == 2 && chunkless.stderr.contains("needs chunks"), "\(chunkless.stderr)")
        #expect(try Self.run(["ingest"] + corpus + ["--min-cooccurrence", "0"]).status == 2)
    }
}

/// `extract --out` writes through what the path names (a device, a pipe, a symbolic link) instead
/// of replacing it: `--out /dev/null` as root must never turn /dev/null into a regular file.
@Suite struct ExtractOutputTests {
    @Test func outputFollowsASymbolicLinkInsteadOfReplacingIt() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("target.jsonl").path
        let link = folder.appendingPathComponent("link.jsonl").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let demo = IntegrationEnvironment.fixturesDirectory.appendingPathComponent("demo")
        let result = try CLIContractTests.run([
            "extract", demo.appendingPathComponent("corpus/europe/paris.txt").path,
            "--gazetteer", demo.appendingPathComponent("gazetteer.tsv").path, "--out", link,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        let written = try String(contentsOfFile: target, encoding: .utf8)
        #expect(written.hasPrefix("{\"kind\":\"document\""))
        #expect(written.contains("geo:2988507"))
    }

    @Test func anOutputThatCannotBeWrittenIsAClearErrorNotACrash() throws {
        let demo = IntegrationEnvironment.fixturesDirectory.appendingPathComponent("demo")
        let result = try CLIContractTests.run([
            "extract", demo.appendingPathComponent("corpus").path,
            "--gazetteer", demo.appendingPathComponent("gazetteer.tsv").path, "--out", "/dev/full",
        ])
        #expect(result.status == 2, "\(result.stderr)")
        #expect(result.stderr.contains("cannot write /dev/full"))
    }

    @Test func jsonSummaryGivesWallAndCPUThroughput() throws {
        let demo = IntegrationEnvironment.fixturesDirectory.appendingPathComponent("demo")
        let result = try CLIContractTests.run([
            "extract", demo.appendingPathComponent("corpus").path,
            "--gazetteer", demo.appendingPathComponent("gazetteer.tsv").path, "--out", "/dev/null", "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let bytes = try #require(summary["bytes"] as? Double)
        let cpu = try #require(summary["cpu_seconds"] as? Double)
        let perCPU = try #require(summary["mb_per_cpu_second"] as? Double)
        #expect(cpu > 0 && cpu < 60)
        #expect(abs(perCPU - bytes / 1_048_576 / cpu) < 1e-6 * max(1, perCPU))
        #expect((summary["mb_per_second"] as? Double ?? 0) > 0)
    }
}
