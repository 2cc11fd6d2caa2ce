import Foundation

/// A graph database and a registry database of a test's own, on the shared local servers, so
/// end-to-end tests never see each other's data. Created through ArcadeDB's HTTP API and psql.
public struct ScratchServers: Sendable {
    /// The ArcadeDB database name (also the PostgreSQL database name).
    public let name: String
    public let bolt: IntegrationEnvironment.BoltServer

    /// Creates both databases.
    public static func make(_ label: String) throws -> ScratchServers {
        let bolt = try IntegrationEnvironment.boltServer()
        try IntegrationEnvironment.requirePostgres()
        let name = "t_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(UInt32.random(in: 0...UInt32.max))"
        let servers = ScratchServers(name: name, bolt: bolt)
        try servers.arcadeCommand("create database \(name)")
        try Shell.run("psql", ["-v", "ON_ERROR_STOP=1", "-qc", "CREATE DATABASE \(name)"])
        return servers
    }

    /// Drops both databases.
    public func drop() {
        try? arcadeCommand("drop database \(name)")
        _ = try? Shell.run("psql", ["-qc", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"])
    }

    /// The environment a `graphingest` process needs to use these databases.
    public var environment: [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["GRAPHINGEST_DATABASE"] = name
        environment["GRAPHINGEST_POSTGRES"] = "dbname=\(name)"
        return environment
    }

    private func arcadeCommand(_ command: String) throws {
        let http = try IntegrationEnvironment.variable("GRAPHINGEST_ARCADEDB_HTTP")
        let output = try Shell.run("curl", [
            "-sS", "-u", "\(bolt.user):\(bolt.password)", "-X", "POST", "\(http)/api/v1/server",
            "-d", "{\"command\":\"\(command)\"}",
        ])
        guard output.stdout.contains("\"ok\"") else {
            throw Shell.Failure(description: "ArcadeDB refused '\(command)': \(output.stdout)")
        }
    }

    /// Runs SQL against this test's registry database with psql; returns the rows, tab-separated.
    public func sql(_ query: String) throws -> [[String]] {
        try Shell.run("psql", ["-d", name, "-v", "ON_ERROR_STOP=1", "-AtF", "\t", "-c", query])
            .stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    /// Runs Cypher through the official Python driver (the cross-check): returns each record as
    /// a JSON object.
    public func cypherWithPythonDriver(_ query: String) throws -> [[String: Any]] {
        try PythonDriver.query(query, database: name)
    }

    /// Each document's MENTIONS as the graph holds them, read with the Python driver:
    /// source -> entity key -> count.
    public func graphMentions() throws -> [String: [String: Int]] {
        var mentions: [String: [String: Int]] = [:]
        for record in try cypherWithPythonDriver("MATCH (d:Document) OPTIONAL MATCH (d)-[m:MENTIONS]->(e:Entity) RETURN d.source AS source, e.key AS key, m.count AS count") {
            let source = record["source"] as? String ?? "?"
            mentions[source, default: [:]] = mentions[source] ?? [:]
            if let key = record["key"] as? String {
                mentions[source]![key, default: 0] += (record["count"] as? Int) ?? -1
            }
        }
        return mentions
    }

    /// Each loaded document's mention snapshot in the registry: source -> entity key -> count.
    public func registryMentions() throws -> [String: [String: Int]] {
        var mentions: [String: [String: Int]] = [:]
        for row in try sql("""
            SELECT d.source, coalesce(e.key, ''), coalesce(m.count, 0) FROM graphingest.documents d
            LEFT JOIN graphingest.document_mentions m ON m.document_id = d.id
            LEFT JOIN graphingest.entities e ON e.id = m.entity_id
            WHERE d.status = 'loaded'
            """) where row.count == 3 {
            mentions[row[0], default: [:]] = mentions[row[0]] ?? [:]
            if !row[1].isEmpty { mentions[row[0]]![row[1]] = Int(row[2]) }
        }
        return mentions
    }
}

/// Runs programs for tests.
public enum Shell {
    /// A program failed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// What a finished program printed.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Runs a program found on PATH (or at a path) and waits; throws when it exits non-zero.
    @discardableResult
    public static func run(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let output = try execute(program, arguments, environment: environment)
        guard output.status == 0 else {
            throw Failure(description: "\(program) exited \(output.status): \(output.stderr)")
        }
        return output
    }

    /// Runs a program and returns its status and output whatever the status.
    public static func execute(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let process = try start(program, arguments, environment: environment)
        return finish(process)
    }

    /// Starts a program with pipes for its output.
    public static func start(_ program: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Process {
        let process = Process()
        if program.contains("/") {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [program] + arguments
        }
        if let environment { process.environment = environment }
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for a started program and collects its output.
    public static func finish(_ process: Process) -> Output {
        let out = (process.standardOutput as! Pipe).fileHandleForReading
        let err = (process.standardError as! Pipe).fileHandleForReading
        // Read both pipes before waiting, on separate threads, so neither fills up and blocks.
        let errData = LockedData()
        let thread = Thread { errData.set(err.readDataToEndOfFile()) }
        thread.start()
        let outData = out.readDataToEndOfFile()
        process.waitUntilExit()
        while !errData.isSet { usleep(1_000) }
        return Output(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData.value, as: UTF8.self))
    }

    private final class LockedData: @unchecked Sendable {
        // Guarded by `lock`: written once by the reader thread, read by the waiting thread.
        private let lock = NSLock()
        private var data: Data?
        func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
        var isSet: Bool { lock.lock(); defer { lock.unlock() }; return data != nil }
        var value: Data { lock.lock(); defer { lock.unlock() }; return data ?? Data() }
    }
}

extension Shell.Output {
    /// The last line of stdout as a JSON object (the summary or report a `--json` command prints
    /// last); nil when there is none.
    public var lastJSONObject: [String: Any]? {
        guard let line = stdout.split(separator: "\n").last else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }
}

extension IntegrationEnvironment {
    /// The Python of the project's `.venv` (with the official neo4j driver).
    public static var python: String {
        if let venv = ProcessInfo.processInfo.environment["GRAPHINGEST_VENV"], !venv.isEmpty { return venv + "/bin/python" }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".venv/bin/python").path
    }

    /// The built `graphingest` binary.
    public static var graphingest: String {
        productsDirectory.appendingPathComponent("graphingest").path
    }
}

/// Runs blocking work (waiting for a process, a whole CLI run) on a thread of its own, so that
/// an async test does not hold one of the few threads of Swift's cooperative pool meanwhile: on
/// a 2-core machine two blocked tests would stall every other async test of the run.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

/// Checks `condition` every `interval` until it holds, on a thread of its own. A test that polls
/// for a state to act on (kill a process once the registry shows progress) must not poll with
/// `Task.sleep` on the cooperative pool: on a 2-core machine the synchronous tests of the same
/// run hold both of its threads for many seconds at a time, and the check came so late that the
/// process had finished what the test meant to interrupt.
public func pollOffThePool(every interval: Duration = .milliseconds(20), until condition: @escaping @Sendable () throws -> Bool) async throws {
    let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
    try await offThePool {
        while try !condition() { Thread.sleep(forTimeInterval: seconds) }
    }
}

/// A started process handed to another thread (it is only waited for there).
public struct ProcessHandle: @unchecked Sendable {
    // Safe: after `start`, the process is only read (its pid) or waited for once, by `finish`.
    public let process: Process
    public init(_ process: Process) { self.process = process }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Waits for the process off the cooperative pool and collects its output.
    public func finish() async throws -> Shell.Output {
        try await offThePool { Shell.finish(process) }
    }
}
