import Foundation

extension RegistryStore {
    /// Records figures of a run that is still going (the run stays unfinished), so that what it
    /// set out to do survives a crash: a later run reads it with ``unfinishedRuns(command:excluding:)``.
    /// Safe to repeat: the last call's figures are kept.
    public func recordRunProgress(_ runID: Int64, figures: [String: RegistryJSON]) async throws {
        let update = sql("UPDATE {schema}.runs SET figures = $2::jsonb WHERE id = $1 AND finished_at IS NULL")
        let json = RegistryJSON.object(figures)
        _ = try await transaction("recordRunProgress", idempotent: true) { connection in
            try connection.execute(update, [runID, json], operation: "recordRunProgress")
        }
    }

    /// Runs of `command` that never finished (their process died, or is still running), oldest
    /// first, without `excluding`.
    public func unfinishedRuns(command: String, excluding runID: Int64? = nil) async throws -> [RunRecord] {
        let query = sql("""
            SELECT id, command, arguments, started_at, finished_at, figures FROM {schema}.runs
            WHERE command = $1 AND finished_at IS NULL AND id IS DISTINCT FROM $2
            ORDER BY id
            """)
        return try await transaction("unfinishedRuns", idempotent: true) { connection in
            try connection.query(query, [command, runID], operation: "unfinishedRuns") { row in
                let arguments = try row.decode(2, as: RegistryJSON.self)
                let figures = try row.decode(5, as: RegistryJSON?.self)
                return RunRecord(
                    id: try row.decode(0), command: try row.decode(1), arguments: arguments.stringElements,
                    startedAt: try row.decode(3), finishedAt: try row.decode(4), figures: figures?.objectMembers)
            }
        }
    }

    /// Records the size and modification time of files whose content turned out unchanged when
    /// hashed (a `touch`, a copy), so that the next reindex judges them by `stat` alone again.
    /// Only `loaded` documents with that SHA-256 are updated. Safe to repeat.
    @discardableResult
    public func recordFileFacts(_ facts: [FileFacts]) async throws -> Int {
        let update = sql("""
            UPDATE {schema}.documents d SET file_size = u.file_size, file_mtime = u.file_mtime
            FROM unnest($1::text[], $2::text[], $3::bigint[], $4::timestamptz[]) AS u(source, sha256, file_size, file_mtime)
            WHERE d.source = u.source AND d.status = 'loaded' AND d.sha256 = u.sha256
              AND (d.file_size, d.file_mtime) IS DISTINCT FROM (u.file_size, u.file_mtime)
            """)
        var updated = 0
        for batch in batches(facts) {
            let columns: [any PostgresParameter] = [batch.map(\.source), batch.map(\.sha256), batch.map(\.fileSize), batch.map(\.fileModified)]
            updated += try await transaction("recordFileFacts", idempotent: true) { connection in
                try connection.execute(update, columns, operation: "recordFileFacts")
            }
        }
        return updated
    }
}

/// A file's facts as found on disk, for the cheap size-and-time check of the next reindex.
public struct FileFacts: Sendable, Hashable {
    /// The document's source.
    public var source: String
    /// The SHA-256 its content has (the update applies only when the registry has the same).
    public var sha256: String
    /// The file's size.
    public var fileSize: Int64
    /// The file's modification time.
    public var fileModified: Date

    /// Makes the facts of one file.
    public init(source: String, sha256: String, fileSize: Int64, fileModified: Date) {
        self.source = source
        self.sha256 = sha256
        self.fileSize = fileSize
        self.fileModified = fileModified
    }
}
