import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs Cypher through the official Python driver (`neo4j` in the project's `.venv`), the tests'
/// independent cross-check of what `graphingest` wrote.
///
/// A Python process that imports the driver costs about half a second of CPU before its first
/// query, and the command-line tests ask some 600 questions: one process per question was the
/// largest share of their CPU time (more than every `graphingest` run together). So the
/// processes stay: each reads a query per line on stdin and answers with one JSON line, and a
/// test takes an idle one or starts another (as many as tests ask at once). Each query still opens
/// its own driver and connection, for the database it names, exactly as a one-shot process did,
/// so no connection carries state from one test's database to another's. A process that dies
/// (or whose answer cannot be read) is dropped and the question fails with its error output.
public enum PythonDriver {
    /// A query the driver refused, or a process that failed.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Runs `query` against `database`; returns each record as a JSON object.
    public static func query(_ query: String, database: String) throws -> [[String: Any]] {
        let process = try pool.take()
        let request = try JSONSerialization.data(withJSONObject: ["query": query, "database": database]) + Data("\n".utf8)
        let answer: Data
        do {
            answer = try process.ask(request)
        } catch {
            process.terminate()
            throw error
        }
        pool.give(back: process)
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any] else {
            throw Failure(description: "the Python driver answered something other than a JSON object")
        }
        if let error = object["error"] as? String {
            throw Failure(description: "the Python driver refused '\(query)' on \(database): \(error)")
        }
        return object["records"] as? [[String: Any]] ?? []
    }

    private static let pool = Pool()

    /// The idle processes; a question takes one or starts one.
    private final class Pool: @unchecked Sendable {
        // Safe: `idle` is only touched under `lock`; a process taken from it has one user.
        private let lock = NSLock()
        private var idle: [DriverProcess] = []

        init() {
            // A process that died must fail its question, not kill the test run with SIGPIPE.
            signal(SIGPIPE, SIG_IGN)
        }

        func take() throws -> DriverProcess {
            lock.lock()
            let process = idle.popLast()
            lock.unlock()
            return try process ?? DriverProcess()
        }

        func give(back process: DriverProcess) {
            lock.lock()
            idle.append(process)
            lock.unlock()
        }
    }

    /// One Python process answering queries, one at a time.
    private final class DriverProcess: @unchecked Sendable {
        // Safe: a process is used by the one test that took it from the pool.
        private let process = Process()
        private let input = Pipe()
        private let output = Pipe()
        /// Its error output goes to a file, so that warnings the driver logs never fill a pipe
        /// nobody reads.
        private let errors = FileManager.default.temporaryDirectory.appendingPathComponent("graphingest-python-driver-\(UUID().uuidString).log")

        private static let script = """
            import json, os, sys
            from neo4j import GraphDatabase
            uri = os.environ["GRAPHINGEST_BOLT_URI"]
            auth = (os.environ["GRAPHINGEST_BOLT_USER"], os.environ["GRAPHINGEST_BOLT_PASSWORD"])
            for line in sys.stdin:
                request = json.loads(line)
                try:
                    with GraphDatabase.driver(uri, auth=auth) as driver:
                        records, _, _ = driver.execute_query(request["query"], database_=request["database"])
                        answer = {"records": [dict(record) for record in records]}
                    print(json.dumps(answer), flush=True)
                except Exception as error:
                    print(json.dumps({"error": f"{type(error).__name__}: {error}"}), flush=True)
            """

        init() throws {
            process.executableURL = URL(fileURLWithPath: IntegrationEnvironment.python)
            process.arguments = ["-c", Self.script]
            process.standardInput = input
            process.standardOutput = output
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: errors)
            try process.run()
        }

        /// Sends one request line and returns the answer line (the process answers each request
        /// with exactly one line, and is asked again only after it answered).
        func ask(_ request: Data) throws -> Data {
            try input.fileHandleForWriting.write(contentsOf: request)
            let descriptor = output.fileHandleForReading.fileDescriptor
            var answer: [UInt8] = []
            var block = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { throw Failure(description: "the Python driver ended: \(stopAndReadErrors())") }
                // Only the new bytes are searched for the line's end (memchr), so a long answer
                // is scanned once.
                let lineEnd = block.withUnsafeBytes { bytes in
                    memchr(bytes.baseAddress!, 0x0A, count).map { $0 - UnsafeMutableRawPointer(mutating: bytes.baseAddress!) }
                }
                answer.append(contentsOf: block[0..<(lineEnd ?? count)])
                if lineEnd != nil { return Data(answer) }
            }
        }

        func terminate() {
            _ = stopAndReadErrors()
        }

        private func stopAndReadErrors() -> String {
            try? input.fileHandleForWriting.close()
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            defer { try? FileManager.default.removeItem(at: errors) }
            return (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        }
    }
}
