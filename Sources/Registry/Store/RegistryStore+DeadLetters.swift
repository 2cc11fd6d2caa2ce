import Foundation

extension RegistryStore {
    /// Records dead letters and returns their ids, in order. Not retried after a lost connection
    /// (a retry could record them twice).
    @discardableResult
    public func addDeadLetters(_ letters: [DeadLetterInput]) async throws -> [Int64] {
        var ids: [Int64] = []
        for batch in batches(letters) {
            let parameters: [any PostgresParameter] = [
                batch.map(\.runID), batch.map(\.source), batch.map(\.stage.rawValue), batch.map(\.error), batch.map(\.payload),
                batch.map(\.stream?.topic), batch.map { $0.stream.map { Int64($0.partition) } }, batch.map(\.stream?.offset),
            ]
            let insert = sql("""
                INSERT INTO {schema}.dead_letters (run_id, source, stage, error, payload, stream_topic, stream_partition, stream_offset)
                SELECT run_id, source, stage, error, payload, stream_topic, stream_partition, stream_offset
                FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::integer[], $8::bigint[])
                    WITH ORDINALITY AS u(run_id, source, stage, error, payload, stream_topic, stream_partition, stream_offset, n)
                ORDER BY n
                RETURNING id
                """)
            ids += try await transaction("addDeadLetters", idempotent: false) { connection in
                try connection.query(insert, parameters, operation: "addDeadLetters") { try $0.decode(0, as: Int64.self) }
            }.sorted()
        }
        return ids
    }

    /// Dead letters, newest first.
    ///
    /// - Parameters:
    ///   - limit: at most this many.
    ///   - includeResolved: include those marked resolved.
    ///   - runID: only those of this run.
    public func listDeadLetters(limit: Int = 100, includeResolved: Bool = false, runID: Int64? = nil) async throws -> [DeadLetter] {
        let query = sql("""
            SELECT id, run_id, source, stage, error, payload, created_at, resolved_at, stream_topic, stream_partition, stream_offset
            FROM {schema}.dead_letters
            WHERE ($2 OR resolved_at IS NULL) AND ($3::bigint IS NULL OR run_id = $3)
            ORDER BY id DESC LIMIT $1
            """)
        return try await transaction("listDeadLetters", idempotent: true) { connection in
            try connection.query(query, [limit, includeResolved, runID], operation: "listDeadLetters") { row in
                DeadLetter(
                    id: try row.decode(0), runID: try row.decode(1), source: try row.decode(2), stage: try row.decode(3),
                    error: try row.decode(4), payload: try row.decode(5), createdAt: try row.decode(6),
                    resolvedAt: try row.decode(7), stream: try Self.streamPosition(row, from: 8))
            }
        }
    }

    /// The number of dead letters not yet resolved.
    public func openDeadLetterCount() async throws -> Int {
        let query = sql("SELECT count(*) FROM {schema}.dead_letters WHERE resolved_at IS NULL")
        return try await transaction("openDeadLetterCount", idempotent: true) { connection in
            try connection.query(query, operation: "openDeadLetterCount") { try $0.decode(0, as: Int.self) }.first ?? 0
        }
    }
}
