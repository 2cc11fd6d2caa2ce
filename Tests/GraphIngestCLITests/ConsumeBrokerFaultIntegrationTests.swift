import Foundation
import IntegrationSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The Kafka broker stopped in the middle of `consume`, on a noida-db of the test's own (the
/// shared one serves the other tests meanwhile). Stopped and started again within
/// `--broker-timeout`, consume waits and finishes the topic (exit 0); stopped for longer, consume
/// stops with exit 3 naming the broker, and a rerun once the broker is back completes. Either
/// way the graph and the registry end equal to an `ingest` of the final state of every key.
///
/// The broker is stopped once the registry shows progress, and started again once consume says
/// it waits: no fixed delay, so a quiet and a busy machine see the same sequence. noida-db saves
/// its topics and the groups' committed offsets when it is stopped (SIGTERM) and reads them back
/// at the start.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled), .serialized, .timeLimit(.minutes(4)))
struct ConsumeBrokerFaultIntegrationTests {
    typealias Consume = ConsumeEndToEndIntegrationTests
    typealias Crash = ConsumeCrashIntegrationTests
    typealias GraphDump = ReindexEndToEndIntegrationTests.GraphDump

    @Test func aBrokerStoppedMidStreamIsWaitedForThenGivenUpOnAndNothingIsLost() async throws {
        let broker = try OwnBroker()
        defer { broker.kill() }
        try await broker.start()
        let topic = try await Consume.createTopic(partitions: 4, brokers: broker.address)
        var messages = (0..<80).map { Consume.Message("doc\($0)", Consume.record($0)) }
        try await Consume.produce(messages, to: topic, brokers: broker.address)
        let servers = try ScratchServers.make("brokerfault")
        defer { servers.drop() }
        try IngestEndToEndIntegrationTests.initialize(servers)
        let group = Consume.unique("group")
        // Rounds of one message, so the stop lands mid-stream however fast the machine (with rounds
        // of 10 a quiet CI machine finished the phase before the test saw progress); a short session, so that the
        // commits librdkafka still holds for the lost coordinator give up soon after ours; and
        // reconnection attempts at least once a second (librdkafka backs off up to 10 s).
        let options = ["--round-messages", "1", "--documents-per-commit", "1", "--kafka-property", "session.timeout.ms=6000",
                       "--kafka-property", "reconnect.backoff.max.ms=1000"]
        // The runs the broker is stopped under also hold each claim 0.4 s (as a slow extraction
        // would), so the rest of the topic takes them well over 10 s after the progress that
        // triggers the stop: with rounds overlapping, a CI run under load finished all 80 rounds
        // in 15 s before the test's check had stopped the broker.
        let slowed = options + ["--test-hold-claims-ms", "400"]

        // Lost and back within the wait: consume goes on to the end by itself.
        let waiting = try LoggedProcess(try Consume.consumeArguments(topic, group: group, brokers: broker.address,
                                                                    extra: slowed + ["--broker-timeout", "5m"]), servers)
        try await stopBroker(broker, whenProgressBeyond: 0, of: waiting, servers)
        try await waitUntil("consume says it waits for the broker", while: waiting) { waiting.stderr.contains("do not answer") }
        try await broker.start()
        let waited = try await waiting.finish()
        #expect(waited.status == 0, "the broker came back within --broker-timeout: \(waited.stderr)")
        #expect(waited.stderr.contains("\(broker.address) do not answer") && waited.stderr.contains("answer again"), "\(waited.stderr)")

        // Lost for longer than the wait: exit 3 naming the broker; the rerun completes.
        // New documents first: each partition then starts with documents the registry counts
        // as loaded, so the first round shows progress (new versions and tombstones do not add to
        // the count; first, they let consume finish before the registry showed any).
        var more = (80..<110).map { Consume.Message("doc\($0)", Consume.record($0)) }
        more += (0..<10).map { Consume.Message("doc\($0 * 3)", Consume.record($0 * 3, version: 2)) }
        more += (0..<6).map { Consume.Message("doc\($0 * 7 + 1)", nil) }
        try await Consume.produce(more, to: topic, brokers: broker.address)
        messages += more
        let givingUp = try LoggedProcess(try Consume.consumeArguments(topic, group: group, brokers: broker.address,
                                                                     extra: slowed + ["--broker-timeout", "2s"]), servers)
        try await stopBroker(broker, whenProgressBeyond: try Crash.loaded(servers), of: givingUp, servers)
        let gaveUp = try await givingUp.finish()
        #expect(gaveUp.status == 3, "\(gaveUp.stderr)")
        #expect(gaveUp.stderr.contains("Kafka brokers \(broker.address) did not answer"), "\(gaveUp.stderr)")
        try await broker.start()
        let rerun = try await offThePool { try Consume.consume(topic, group: group, servers, brokers: broker.address, extra: options) }
        #expect(rerun.status == 0, "\(rerun.stderr)")

        ReindexEndToEndIntegrationTests.expectSame(try GraphDump(servers),
                                                   try Consume.freshIngest(Self.finalState(messages), topic: topic, label: "brokerfaultfresh"))
        let committed = try await Consume.committed(topic, group: group, partitions: 4, brokers: broker.address)
        #expect(committed == (try await Consume.endOffsets(topic, partitions: 4, brokers: broker.address)))
    }

    /// Stops the broker as soon as the registry holds more than `loaded` loaded documents (the
    /// consumer has loaded a round of its own), while the consumer still runs.
    func stopBroker(_ broker: OwnBroker, whenProgressBeyond loaded: Int, of consumer: LoggedProcess, _ servers: ScratchServers) async throws {
        try await waitUntil("the registry shows the consumer's progress", while: consumer) { try Crash.loaded(servers) > loaded }
        try await broker.stop()
    }

    /// Waits for `condition`, checking every 20 ms on a thread of its own (see `pollOffThePool`);
    /// fails if `process` ends first.
    func waitUntil(_ what: String, while process: LoggedProcess, _ condition: @escaping @Sendable () throws -> Bool) async throws {
        try await pollOffThePool { try condition() || !process.isRunning }
        if try !condition() {
            let output = try await process.finish()
            throw Shell.Failure(description: "consume ended (\(output.status)) before \(what): \(output.stderr)")
        }
    }

    /// The latest record of every key (a tombstone removes it), in key order.
    static func finalState(_ messages: [Consume.Message]) -> [String] {
        var latest: [String: [UInt8]?] = [:]
        for message in messages { latest[message.key!] = message.value }
        return latest.compactMap { key, value in value.map { (Int(key.dropFirst(3))!, String(decoding: $0, as: UTF8.self)) } }
            .sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// A `graphingest` process whose stderr goes to a file, so a test can read what it said while it
/// runs.
final class LoggedProcess: @unchecked Sendable {
    // Safe: `process` is started in init and afterwards only asked whether it runs or waited for
    // once, off the cooperative pool; the files are read, never written, by the test.
    private let process = Process()
    private let folder: URL

    init(_ arguments: [String], _ servers: ScratchServers) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-logged-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["stdout", "stderr"] { _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: nil) }
        process.executableURL = URL(fileURLWithPath: IntegrationEnvironment.graphingest)
        process.arguments = arguments
        process.environment = servers.environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: folder.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: folder.appendingPathComponent("stderr"))
        try process.run()
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: folder)
    }

    var isRunning: Bool { process.isRunning }

    /// What the process wrote to stderr so far.
    var stderr: String { (try? String(contentsOf: folder.appendingPathComponent("stderr"), encoding: .utf8)) ?? "" }

    /// Waits for the process (killing it after `limit`: a consume that hangs fails the test
    /// rather than the run) and returns its output.
    func finish(limit: Duration = .seconds(120)) async throws -> Shell.Output {
        let process = self.process
        let exited = try await offThePool { () -> Bool in
            let deadline = Date().addingTimeInterval(limit / .seconds(1))
            while process.isRunning && Date() < deadline { usleep(20_000) }
            guard process.isRunning else { return true }
            kill(process.processIdentifier, SIGKILL)
            while process.isRunning { usleep(20_000) }
            return false
        }
        let output = Shell.Output(status: process.terminationStatus,
                                  stdout: (try? String(contentsOf: folder.appendingPathComponent("stdout"), encoding: .utf8)) ?? "", stderr: stderr)
        guard exited else { throw Shell.Failure(description: "still running after \(limit), killed: \(output.stderr)") }
        return output
    }
}

/// A noida-db Kafka broker of a test's own, started as `scripts/services` starts the shared one,
/// on a free loopback port and a data folder that outlives a stop (so a restart finds the topics
/// and the committed offsets again).
final class OwnBroker: @unchecked Sendable {
    // Safe: one test drives it, one step at a time; `process` changes only in start and stop.
    private var process: Process?
    private let folder: URL
    let port: Int
    var address: String { "127.0.0.1:\(port)" }

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true)
        port = try ConcurrentWorkersIntegrationTests.freePort()
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Starts noida-db (PyPI's, in the project's `.venv`) through the venv's Python, which
    /// unblocks SIGTERM first: a process started from a test thread inherits that thread's
    /// blocked signals (libdispatch's threads block them all), and a noida-db with SIGTERM
    /// blocked never stops.
    static let launcher = """
        import noida_db, os, signal, sys
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        binary = os.path.join(os.path.dirname(noida_db.__file__), "noida-db")
        os.execv(binary, [binary] + sys.argv[1:])
        """

    /// Starts the broker and waits until it accepts connections.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: IntegrationEnvironment.python)
        process.arguments = ["-c", Self.launcher, "start", "--data-dir", folder.appendingPathComponent("data").path, "--host", "127.0.0.1",
                             "--only", "kafka", "--kafka-port", String(port)]
        let log = folder.appendingPathComponent("kafka.log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        for _ in 0..<300 {
            if Self.accepts(port) { return }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw Shell.Failure(description: "noida-db did not start on \(address): \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    /// Stops the broker as `scripts/services down` does (SIGTERM: it saves its data) and waits
    /// for it to exit.
    func stop() async throws {
        guard let process else { return }
        self.process = nil
        process.terminate()
        // Polled: Foundation's waitUntilExit spins a core on a thread without a run loop.
        while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    }

    /// Ends a broker left running by a failed test.
    func kill() {
        if let process, process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
    }

    private static func accepts(_ port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
