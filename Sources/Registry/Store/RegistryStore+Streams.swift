extension RegistryStore {
    /// Records the stream message each document was last loaded from (`consume`'s lineage), for
    /// the documents that are `loaded` with that content now. Safe to repeat.
    @discardableResult
    public func recordStreamPositions(_ positions: [(source: String, sha256: String, position: StreamPosition)]) async throws -> Int {
        guard !positions.isEmpty else { return 0 }
        let update = sql("""
            UPDATE {schema}.documents d
            SET stream_topic = u.topic, stream_partition = u.partition, stream_offset = u.message_offset
            FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::bigint[])
                AS u(source, sha256, topic, partition, message_offset)
            WHERE d.source = u.source AND d.status = 'loaded' AND d.sha256 = u.sha256
            """)
        var updated = 0
        for batch in batches(positions) {
            let parameters: [any PostgresParameter] = [
                batch.map(\.source), batch.map(\.sha256), batch.map(\.position.topic), batch.map { Int64($0.position.partition) },
                batch.map(\.position.offset),
            ]
            updated += try await transaction("recordStreamPositions", idempotent: true) { connection in
                try connection.execute(update, parameters, operation: "recordStreamPositions")
            }
        }
        return updated
    }

    /// The registry ids of the given sources that are not deleted.
    public func liveDocumentIDs(sources: [String]) async throws -> [String: Int64] {
        let query = sql("SELECT source, id FROM {schema}.documents WHERE source = ANY($1::text[]) AND status <> 'deleted'")
        var ids: [String: Int64] = [:]
        for batch in batches(sources) {
            let rows = try await transaction("liveDocumentIDs", idempotent: true) { connection in
                try connection.query(query, [Array(batch)], operation: "liveDocumentIDs") { (try $0.decode(0, as: String.self), try $0.decode(1, as: Int64.self)) }
            }
            for (source, id) in rows { ids[source] = id }
        }
        return ids
    }

    /// Per topic and partition, the documents loaded from it and the highest offset they were
    /// loaded from (what `status` shows of `consume`'s lineage).
    public func streamLineage() async throws -> [StreamLineage] {
        let query = sql("""
            SELECT stream_topic, stream_partition, count(*), max(stream_offset) FROM {schema}.documents
            WHERE stream_topic IS NOT NULL AND status = 'loaded'
            GROUP BY stream_topic, stream_partition ORDER BY stream_topic, stream_partition
            """)
        return try await transaction("streamLineage", idempotent: true) { connection in
            try connection.query(query, operation: "streamLineage") { row in
                StreamLineage(topic: try row.decode(0), partition: Int32(try row.decode(1, as: Int.self)), documents: try row.decode(2),
                              highestOffset: try row.decode(3))
            }
        }
    }

    static func streamPosition(_ row: PostgresRow, from column: Int32) throws -> StreamPosition? {
        guard let topic = try row.decode(column, as: String?.self), let partition = try row.decode(column + 1, as: Int?.self),
              let offset = try row.decode(column + 2, as: Int64?.self) else { return nil }
        return StreamPosition(topic: topic, partition: Int32(partition), offset: offset)
    }
}

/// What the registry holds of one topic partition's documents.
public struct StreamLineage: Sendable, Hashable {
    public var topic: String
    public var partition: Int32
    /// Documents loaded whose last message came from the partition.
    public var documents: Int
    /// The highest offset of those messages.
    public var highestOffset: Int64
}
