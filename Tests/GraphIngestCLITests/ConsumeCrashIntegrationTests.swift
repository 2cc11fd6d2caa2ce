import Foundation
import IntegrationSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `consume` killed with SIGKILL while it loads, several times, then run to the end; and two
/// consumers of one group over four partitions, one stopped or killed mid-way: each ends with the
/// graph and the registry of an `ingest` of the final state of every key.
///
/// noida-db never evicts a group member that stopped heartbeating (Kafka does after
/// `session.timeout.ms`): its partitions stay with the dead member. So a killed consumer is
/// restarted with the same `group.instance.id` (static membership, as a pod restarts with its
/// name), which takes the dead member's place at once; a consumer stopped with SIGTERM leaves the
/// group and its partitions go to the other.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized, .timeLimit(.minutes(6)))
struct ConsumeCrashIntegrationTests {
    typealias Consume = ConsumeEndToEndIntegrationTests
    typealias GraphDump = ReindexEndToEndIntegrationTests.GraphDump

    /// Starts a consumer; with `untilEnd` false it runs until it is stopped (what a consumer the
    /// test means to stop must do: one that may end on its own can end before the test stops it).
    static func start(_ topic: String, group: String, _ servers: ScratchServers, roundMessages: Int = 40, untilEnd: Bool = true,
                      extra: [String] = []) throws -> Process {
        try Shell.start(IntegrationEnvironment.graphingest, try Consume.consumeArguments(topic, group: group, untilEnd: untilEnd, extra: [
            "--round-messages", String(roundMessages), "--documents-per-commit", String(max(1, roundMessages / 4)), "--workers", "2",
        ] + extra), environment: servers.environment)
    }

    @Test func killedWhileConsumingThenRerunEqualsIngestOfTheFinalState() async throws {
        let topic = try await Consume.createTopic(partitions: 4)
        var messages = (0..<400).map { Consume.Message("doc\($0)", Consume.record($0)) }
        messages += (0..<40).map { Consume.Message("doc\($0 * 3)", Consume.record($0 * 3, version: 2)) }
        messages += (0..<20).map { Consume.Message("doc\($0 * 7 + 1)", nil) }
        try await Consume.produce(messages, to: topic)
        let servers = try ScratchServers.make("consumekill")
        defer { servers.drop() }
        try IngestEndToEndIntegrationTests.initialize(servers)
        let group = Consume.unique("group")

        // Each run is killed as soon as the registry shows it loaded something, in rounds of one
        // message, so the kill lands a few messages later however fast or loaded the machine is:
        // a kill after a fixed delay, and then rounds of 10, found a quiet machine nearly done.
        var killed = 0
        let identity = ["--kafka-property", "group.instance.id=crash-consumer"]
        for _ in 0..<3 {
            let before = try Self.loaded(servers)
            let process = ProcessHandle(try Self.start(topic, group: group, servers, roundMessages: 1, extra: identity))
            try await pollOffThePool { try !process.process.isRunning || Self.loaded(servers) > before }
            if process.process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            _ = try await process.finish()
        }
        #expect(killed >= 2, "only \(killed) runs were still going when the registry showed their progress")
        let loadedBefore = try Self.loaded(servers)
        #expect(loadedBefore > 0 && loadedBefore < 380, "the kills left \(loadedBefore) documents loaded")
        let final = try await offThePool { try Consume.consume(topic, group: group, servers, extra: identity) }
        #expect(final.status == 0, "\(final.stderr)")
        ReindexEndToEndIntegrationTests.expectSame(try GraphDump(servers), try Consume.freshIngest(Self.finalState(), topic: topic, label: "consumekillfresh"))
    }

    /// The documents the registry has loaded.
    static func loaded(_ servers: ScratchServers) throws -> Int {
        Int(try servers.sql("SELECT count(*) FROM graphingest.documents WHERE status = 'loaded'")[0][0]) ?? 0
    }

    /// The latest record of every key the crash test's topic holds.
    static func finalState() -> [String] {
        let deleted = Set((0..<20).map { $0 * 7 + 1 })
        let updated = Set((0..<40).map { $0 * 3 })
        return (0..<400).filter { !deleted.contains($0) }.map { Consume.record($0, version: updated.contains($0) ? 2 : 1) }
    }

    /// Two consumers of one group over four partitions; the second is stopped mid-way, with
    /// SIGTERM (it finishes its round, commits and leaves: the first takes its partitions) or
    /// with SIGKILL (restarted with its `group.instance.id`: it takes its own place again).
    @Test(arguments: [SIGTERM, SIGKILL])
    func twoConsumersOfOneGroupWithOneStoppedMidwayEqualOneConsumer(signal: Int32) async throws {
        let topic = try await Consume.createTopic(partitions: 4)
        try await Consume.produce((0..<400).map { Consume.Message("doc\($0)", Consume.record($0)) }, to: topic)
        let servers = try ScratchServers.make("rebalance")
        defer { servers.drop() }
        try IngestEndToEndIntegrationTests.initialize(servers)
        let group = Consume.unique("group")
        func identity(_ name: String) -> [String] {
            signal == SIGKILL ? ["--kafka-property", "group.instance.id=\(name)"] : []
        }
        let first = try Self.start(topic, group: group, servers, extra: identity("first"))
        // The second runs without --until-end, so it ends only when it is stopped: with it, a
        // second consumer whose partitions were done before the test looked ended on its own
        // (twice in CI runs). It is stopped once the two have loaded a fifth of the topic.
        let second = ProcessHandle(try Self.start(topic, group: group, servers, untilEnd: false, extra: identity("second")))
        try await pollOffThePool { try !second.process.isRunning || Self.loaded(servers) >= 80 }
        let runningWhenStopped = second.process.isRunning
        kill(second.processIdentifier, signal)
        let stopped = try await second.finish()
        #expect(runningWhenStopped, "the second consumer ended (status \(stopped.status)) before the topic was a fifth loaded: \(stopped.stderr.suffix(3_000))")
        var restarted: Shell.Output?
        if signal == SIGKILL {
            restarted = try await ProcessHandle(try Self.start(topic, group: group, servers, extra: identity("second"))).finish()
            #expect(restarted?.status == 0, "\(restarted?.stderr ?? "")")
        } else if runningWhenStopped {
            #expect(stopped.status == 0, "SIGTERM: finish the round, commit, leave, exit 0: \(stopped.stderr)")
        }
        let output = try await ProcessHandle(first).finish()
        #expect(output.status == 0, "\(output.stderr)")
        ReindexEndToEndIntegrationTests.expectSame(try GraphDump(servers),
                                                   try Consume.freshIngest((0..<400).map { Consume.record($0) }, topic: topic, label: "rebalancefresh"))
        #expect(try await Consume.committed(topic, group: group, partitions: 4) == (try await Consume.endOffsets(topic, partitions: 4)))
    }
}
