import CLibPQ
import Foundation

extension PostgresConnection {
    /// Streams `rows` into `COPY ... FROM STDIN` (text format) and returns the number copied.
    ///
    /// `encode` writes one row's fields into the writer; rows go out in chunks of about 256 KiB,
    /// so memory stays flat however many rows there are.
    ///
    /// - Parameter copySQL: the `COPY table (columns) FROM STDIN` statement.
    @discardableResult
    package func copyIn<Rows: Sequence>(
        _ copySQL: String,
        rows: Rows,
        operation: String = "",
        encode: (inout PostgresCopyWriter, Rows.Element) -> Void
    ) throws -> Int {
        let handle = try requireHandle(operation)
        let start = try exec(copySQL, [], operation: operation)
        let status = PQresultStatus(start)
        PQclear(start)
        guard status == PGRES_COPY_IN else {
            throw RegistryError(.unexpectedResult, operation: operation, message: "COPY did not enter COPY IN state")
        }
        var writer = PostgresCopyWriter()
        var sendFailed = false
        func flush() {
            guard !sendFailed, !writer.buffer.isEmpty else { return }
            let chunk = writer.takeBuffer()
            let sent = chunk.withUnsafeBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
            }
            if sent != 1 { sendFailed = true }
        }
        for row in rows {
            encode(&writer, row)
            writer.endRow()
            if writer.buffer.count >= 1 << 18 { flush() }
            if sendFailed { break }
        }
        flush()
        if sendFailed {
            let error = connectionError(handle, operation: operation)
            drainResults(handle)
            throw RegistryError(error.code == .connectionLost ? .connectionLost : .copyFailed, operation: operation, message: error.message)
        }
        guard PQputCopyEnd(handle, nil) == 1 else {
            throw connectionError(handle, operation: operation)
        }
        var copied = 0
        var failure: RegistryError?
        while let result = PQgetResult(handle) {
            if PQresultStatus(result) == PGRES_COMMAND_OK {
                copied = Self.affectedRows(result)
            } else if failure == nil {
                failure = resultError(result, handle: handle, operation: operation)
            }
            PQclear(result)
        }
        if let failure { throw failure }
        return copied
    }

    private func drainResults(_ handle: OpaquePointer) {
        while let result = PQgetResult(handle) { PQclear(result) }
    }
}
