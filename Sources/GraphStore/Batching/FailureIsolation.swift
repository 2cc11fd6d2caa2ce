/// A row that could not be written even alone, and why.
public struct RejectedRow<Row: Sendable>: Sendable {
    public var row: Row
    /// The server's (or client's) message for the failure; no parameter values.
    public var reason: String
}

/// Writes a batch, and when it fails for good, splits it in halves until the rows that fail on
/// their own are isolated; everything else lands.
///
/// `write` is expected to have retried transient errors already (a managed transaction); an
/// error reaching this function is taken as caused by the rows. `isRowError` decides whether an
/// error can be blamed on rows at all: a lost server cannot, so such errors are rethrown and the
/// run stops instead of dead-lettering every row.
package func writeIsolatingFailures<Row: Sendable>(
    _ rows: [Row],
    isRowError: (any Error) -> Bool,
    describe: (any Error) -> String,
    write: ([Row]) async throws -> Void
) async throws -> [RejectedRow<Row>] {
    guard !rows.isEmpty else { return [] }
    do {
        try await write(rows)
        return []
    } catch {
        guard isRowError(error) else { throw error }
        if rows.count == 1 {
            return [RejectedRow(row: rows[0], reason: describe(error))]
        }
        let middle = rows.count / 2
        let left = try await writeIsolatingFailures(Array(rows[..<middle]), isRowError: isRowError, describe: describe, write: write)
        let right = try await writeIsolatingFailures(Array(rows[middle...]), isRowError: isRowError, describe: describe, write: write)
        return left + right
    }
}
