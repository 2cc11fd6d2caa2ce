import Foundation

extension RegistryStore {
    /// Records the start of a command run and returns its id. Not retried after a lost
    /// connection (a retry could record the run twice).
    public func startRun(command: String, arguments: [String]) async throws -> Int64 {
        let insert = sql("INSERT INTO {schema}.runs (command, arguments) VALUES ($1, $2::jsonb) RETURNING id")
        let json = RegistryJSON.array(arguments.map { .string($0) })
        return try await transaction("startRun", idempotent: false) { connection in
            let ids = try connection.query(insert, [command, json], operation: "startRun") { try $0.decode(0, as: Int64.self) }
            guard let id = ids.first else {
                throw RegistryError(.unexpectedResult, operation: "startRun", message: "INSERT returned no id")
            }
            return id
        }
    }

    /// Records the end of a run and its figures (counts, durations, rates). Safe to repeat: the
    /// last call's figures are kept.
    public func finishRun(_ runID: Int64, figures: [String: RegistryJSON]) async throws {
        let update = sql("UPDATE {schema}.runs SET finished_at = now(), figures = $2::jsonb WHERE id = $1")
        let json = RegistryJSON.object(figures)
        let updated = try await transaction("finishRun", idempotent: true) { connection in
            try connection.execute(update, [runID, json], operation: "finishRun")
        }
        guard updated == 1 else {
            throw RegistryError(.invalidArgument, operation: "finishRun", message: "no run with id \(runID)")
        }
    }

    /// The last `count` runs, newest first.
    public func lastRuns(_ count: Int) async throws -> [RunRecord] {
        let query = sql("""
            SELECT id, command, arguments, started_at, finished_at, figures FROM {schema}.runs
            ORDER BY id DESC LIMIT $1
            """)
        return try await transaction("lastRuns", idempotent: true) { connection in
            try connection.query(query, [count], operation: "lastRuns") { row in
                let arguments = try row.decode(2, as: RegistryJSON.self)
                let figures = try row.decode(5, as: RegistryJSON?.self)
                return RunRecord(
                    id: try row.decode(0),
                    command: try row.decode(1),
                    arguments: arguments.stringElements,
                    startedAt: try row.decode(3),
                    finishedAt: try row.decode(4),
                    figures: figures?.objectMembers
                )
            }
        }
    }
}

extension RegistryJSON {
    /// The strings of an array (other elements as JSON text); empty for non-arrays.
    var stringElements: [String] {
        guard case .array(let elements) = self else { return [] }
        return elements.map { element in
            if case .string(let text) = element { return text }
            return element.description
        }
    }

    /// The members of an object, or nil for other values.
    var objectMembers: [String: RegistryJSON]? {
        guard case .object(let members) = self else { return nil }
        return members
    }
}
