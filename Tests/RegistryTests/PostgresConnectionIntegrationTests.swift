import Foundation
import IntegrationSupport
import Testing
@testable import Registry

/// The libpq layer against the real PostgreSQL: parameters, decoding, COPY, pipelines, errors.
@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct PostgresConnectionIntegrationTests {
    @Test func decodesParameterizedResults() async throws {
        let connection = try await RegistryTestDatabase.connection()
        let moment = Date(timeIntervalSince1970: 1_795_799_694.25)
        let rows = try await connection.run("test") { connection in
            try connection.query(
                "SELECT $1::bigint, $2::text, $3::bool, $4::float8, $5::timestamptz, $6::text, $7::text[]",
                [Int64.max, "tab\t'quote\" é", true, 0.1, moment, String?.none, ["x", "y,z"]]
            ) { row in
                (try row.decode(0, as: Int64.self), try row.decode(1, as: String.self), try row.decode(2, as: Bool.self),
                 try row.decode(3, as: Double.self), try row.decode(4, as: Date.self), try row.decode(5, as: String?.self),
                 try row.decode(6, as: String.self))
            }
        }
        let row = try #require(rows.first)
        #expect(row.0 == Int64.max)
        #expect(row.1 == "tab\t'quote\" é")
        #expect(row.2)
        #expect(row.3 == 0.1)
        #expect(row.4 == moment)
        #expect(row.5 == nil)
        #expect(row.6 == "{x,\"y,z\"}")
        await connection.close()
    }

    @Test func binaryResultsDecodeLikeText() async throws {
        let connection = try await RegistryTestDatabase.connection()
        let sql = """
            SELECT $1::bigint, $2::int, 7::smallint, $3::text, $4::bool, $5::float8, 0.5::float4, $6::timestamptz,
                   '{"a": [1, 2.5, null]}'::jsonb, NULL::bigint, 'x'::varchar
            """
        let moment = Date(timeIntervalSince1970: 1_795_799_694.123456)
        let parameters: [any PostgresParameter] = [Int64.min, Int32(-5), "é\t\"", false, -2.75, moment]
        @Sendable func decode(_ row: PostgresRow) throws -> [String] {
            [
                "\(try row.decode(0, as: Int64.self))", "\(try row.decode(1, as: Int.self))", "\(try row.decode(2, as: Int.self))",
                try row.decode(3, as: String.self), "\(try row.decode(4, as: Bool.self))", "\(try row.decode(5, as: Double.self))",
                "\(try row.decode(6, as: Double.self))", "\(try row.decode(7, as: Date.self).timeIntervalSince1970)",
                try row.decode(8, as: RegistryJSON.self).description, "\(try row.decode(9, as: Int64?.self) as Any)",
                try row.decode(10, as: String.self),
            ]
        }
        let (text, binary) = try await connection.run("test") { connection in
            (try connection.query(sql, parameters, decode: decode), try connection.query(sql, parameters, binaryResults: true, decode: decode))
        }
        #expect(binary == text)
        #expect(binary.first?.first == "\(Int64.min)")
        #expect(binary.first?[8] == #"{"a":[1,2.5,null]}"#)
        await connection.close()
    }

    @Test func copyRoundTripsAwkwardText() async throws {
        let connection = try await RegistryTestDatabase.connection()
        let values = ["plain", "tab\there", "new\nline", "cr\rhere", "back\\slash", "\\N", "", "Zürich 東京 🙂"]
        let back = try await connection.run("test") { connection in
            try connection.withTransaction { connection in
                try connection.execute("CREATE TEMPORARY TABLE copy_test (n integer, value text, maybe text) ON COMMIT DROP")
                let copied = try connection.copyIn(
                    "COPY copy_test (n, value, maybe) FROM STDIN", rows: values.enumerated()
                ) { writer, item in
                    writer.append(Int64(item.offset))
                    writer.append(item.element)
                    writer.appendNull()
                }
                #expect(copied == values.count)
                return try connection.query("SELECT value, maybe IS NULL FROM copy_test ORDER BY n") {
                    (try $0.decode(0, as: String.self), try $0.decode(1, as: Bool.self))
                }
            }
        }
        #expect(back.map(\.0) == values)
        #expect(back.allSatisfy { $0.1 })
        await connection.close()
    }

    @Test func sqlErrorsCarrySQLStateAndOperation() async throws {
        let connection = try await RegistryTestDatabase.connection()
        let error = await #expect(throws: RegistryError.self) {
            try await connection.run("probe") { try $0.execute("SELECT * FROM graphingest_no_such_table") }
        }
        #expect(error?.code == .server)
        #expect(error?.sqlState == "42P01")
        #expect(error?.operation == "probe")
        #expect(error?.description.contains("graphingest_no_such_table") == true)
        // The connection stays usable after a server error.
        let one = try await connection.run("probe") { try $0.query("SELECT 1") { try $0.decode(0, as: Int.self) } }
        #expect(one == [1])

        let pipelineError = await #expect(throws: RegistryError.self) {
            try await connection.run("pipeline") { connection in
                try connection.executePipeline([
                    PostgresStatement("SELECT 1"), PostgresStatement("SELECT 1 / $1::int", [0]), PostgresStatement("SELECT 2"),
                ])
            }
        }
        #expect(pipelineError?.sqlState == "22012")
        #expect(await connection.isReusable)
        await connection.close()
    }

    @Test func badCredentialsFailWithoutShowingThePassword() async throws {
        let base = try RegistryTestDatabase.settings()
        let env = ProcessInfo.processInfo.environment
        let conninfo = "host=\(env["PGHOST"] ?? "127.0.0.1") port=\(env["PGPORT"] ?? "5432") user=graphingest_nobody "
            + "password=Very-Secret-Pw-123 dbname=postgres connect_timeout=5"
        _ = base
        let error = await #expect(throws: RegistryError.self) {
            _ = try await PostgresConnection.connect(RegistryConnectionSettings(conninfo: conninfo))
        }
        #expect(error?.code == .connectionFailed)
        #expect(error.map { !$0.debugDescription.contains("Very-Secret-Pw-123") } == true)

        let malformed = await #expect(throws: RegistryError.self) {
            _ = try await PostgresConnection.connect(RegistryConnectionSettings(conninfo: "host=x password='Very-Secret-Pw-123"))
        }
        #expect(malformed.map { !$0.debugDescription.contains("Very-Secret-Pw-123") } == true)
    }

    @Test func runsOffTheCooperativePool() async throws {
        let connection = try await RegistryTestDatabase.connection()
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await connection.run("thread") { connection in
                        connection.isOnConnectionThread ? "connection thread" : "elsewhere"
                    }
                }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names == ["connection thread"])
        #expect(!connection.isOnConnectionThread)
        await connection.close()
    }

    @Test func cancellingTheTaskCancelsTheStatement() async throws {
        let connection = try await RegistryTestDatabase.connection()
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task {
            try await connection.run("sleep") { try $0.execute("SELECT pg_sleep(300)") }
        }
        // Cancel only once the server runs the statement: on a loaded machine the task may not
        // have sent it yet after a fixed pause (then it ends as cancelled with no SQLSTATE).
        let observer = try await RegistryTestDatabase.connection()
        var running = false
        for _ in 0..<600 where !running {
            running = try await observer.run("probe") {
                try $0.query("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = 'SELECT pg_sleep(300)'") {
                    try $0.decode(0, as: Int.self)
                }
            } == [1]
            if !running { try await Task.sleep(for: .milliseconds(100)) }
        }
        await observer.close()
        #expect(running, "the statement never started")
        task.cancel()
        let result = await task.result
        // Far below the statement's 300 s, with room for a loaded machine (seen: 16 s).
        #expect(clock.now - start < .seconds(120))
        guard case .failure(let error as RegistryError) = result else {
            Issue.record("expected a RegistryError, got \(result)")
            return
        }
        #expect(error.code == .cancelled)
        #expect(error.sqlState == "57014")
        #expect(error.operation == "sleep")
        // The connection is still fine for the next statement.
        let one = try await connection.run("probe") { try $0.query("SELECT 1") { try $0.decode(0, as: Int.self) } }
        #expect(one == [1])
        await connection.close()
    }

    @Test func aDroppedConnectionEndsItsSession() async throws {
        var connection: PostgresConnection? = try await RegistryTestDatabase.connection()
        let pid = try #require(await connection?.backendPID)
        connection = nil
        let observer = try await RegistryTestDatabase.connection()
        var alive = true
        for _ in 0..<100 where alive {
            let rows = try await observer.run("probe") { connection in
                try connection.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [Int64(pid)]) { _ in 1 }
            }
            alive = !rows.isEmpty
            if alive { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(!alive, "the backend of a released connection is still there")
        await observer.close()
    }

    @Test func connectsFromAURLAndNamesItsApplication() async throws {
        _ = try RegistryTestDatabase.settings()
        let env = ProcessInfo.processInfo.environment
        var url = URLComponents()
        url.scheme = "postgresql"
        url.host = env["PGHOST"]
        url.port = env["PGPORT"].flatMap(Int.init)
        url.user = env["PGUSER"]
        url.password = env["PGPASSWORD"]
        url.path = "/" + (env["PGDATABASE"] ?? "postgres")
        let settings = RegistryConnectionSettings(conninfo: try #require(url.string))
        #expect(!settings.description.contains(env["PGPASSWORD"].map { $0.isEmpty ? "\u{0}" : $0 } ?? "\u{0}"))
        let connection = try await PostgresConnection.connect(settings)
        let name = try await connection.run("probe") { try $0.query("SHOW application_name") { try $0.decode(0, as: String.self) } }
        #expect(name == ["graphingest"])
        await connection.close()
    }
}
