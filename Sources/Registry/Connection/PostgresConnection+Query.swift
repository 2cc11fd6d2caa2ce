import CLibPQ
import Foundation

/// One SQL statement with its parameters, for pipelines.
package struct PostgresStatement: Sendable {
    /// The SQL text with `$1`, `$2`... placeholders.
    package var sql: String
    /// The parameters, bound in order.
    package var parameters: [any PostgresParameter]

    package init(_ sql: String, _ parameters: [any PostgresParameter] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}

extension PostgresConnection {
    /// Runs a statement and returns the number of rows it affected (0 for statements without one).
    ///
    /// Without parameters the text may hold several statements (`PQexec`); with parameters it is
    /// one statement (`PQexecParams`).
    @discardableResult
    package func execute(_ sql: String, _ parameters: [any PostgresParameter] = [], operation: String = "") throws -> Int {
        let result = try exec(sql, parameters, operation: operation)
        defer { PQclear(result) }
        return Self.affectedRows(result)
    }

    /// Runs a query and decodes each row with `decode`, on the connection's thread.
    ///
    /// - Parameter binaryResults: ask for PostgreSQL's binary format (integers and timestamps
    ///   arrive as fixed-size values, no text to parse); the decoders handle both formats.
    package func query<T>(
        _ sql: String,
        _ parameters: [any PostgresParameter] = [],
        operation: String = "",
        binaryResults: Bool = false,
        decode: (PostgresRow) throws -> T
    ) throws -> [T] {
        let result = try exec(sql, parameters, operation: operation, binaryResults: binaryResults)
        defer { PQclear(result) }
        let count = PQntuples(result)
        var rows: [T] = []
        rows.reserveCapacity(Int(count))
        for index in 0..<count {
            rows.append(try decode(PostgresRow(result: result, index: index, operation: operation)))
        }
        return rows
    }

    /// Runs several statements in one round trip with libpq's pipeline mode and returns each
    /// one's affected row count.
    ///
    /// The statements run in order; after the first error the rest are skipped by the server and
    /// that error is thrown. Outside a transaction they form one implicit transaction.
    @discardableResult
    package func executePipeline(_ statements: [PostgresStatement], operation: String = "") throws -> [Int] {
        let handle = try requireHandle(operation)
        guard PQenterPipelineMode(handle) == 1 else {
            throw connectionError(handle, operation: operation)
        }
        defer { _ = PQexitPipelineMode(handle) }
        for statement in statements {
            let sent = Self.withParameters(statement.parameters) { count, values in
                PQsendQueryParams(handle, statement.sql, count, nil, values, nil, nil, 0)
            }
            guard sent == 1 else { throw connectionError(handle, operation: operation) }
        }
        guard PQpipelineSync(handle) == 1 else { throw connectionError(handle, operation: operation) }
        var counts: [Int] = []
        var firstError: RegistryError?
        for _ in statements {
            // Each statement's results end with a NULL from PQgetResult.
            while let result = PQgetResult(handle) {
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
                    counts.append(Self.affectedRows(result))
                case PGRES_PIPELINE_ABORTED:
                    counts.append(0)
                default:
                    if firstError == nil { firstError = resultError(result, handle: handle, operation: operation) }
                    counts.append(0)
                }
            }
            if PQstatus(handle) == CONNECTION_BAD { break }
        }
        // The PGRES_PIPELINE_SYNC result closes the pipeline.
        if PQstatus(handle) != CONNECTION_BAD {
            while let result = PQgetResult(handle) {
                let status = PQresultStatus(result)
                PQclear(result)
                if status == PGRES_PIPELINE_SYNC { break }
            }
        }
        if let firstError { throw firstError }
        if PQstatus(handle) == CONNECTION_BAD { throw connectionError(handle, operation: operation) }
        return counts
    }

    /// Runs `body` inside BEGIN ... COMMIT on this connection; rolls back when `body` throws.
    ///
    /// A connection found dead at BEGIN (its server process ended while it sat idle) is reset and
    /// the transaction begun again: nothing of the operation had reached the server, so this is
    /// safe for every operation.
    package func withTransaction<T>(_ operation: String = "", _ body: (isolated PostgresConnection) throws -> T) throws -> T {
        do {
            try execute("BEGIN", operation: operation)
        } catch let lost as RegistryError where lost.code == .connectionLost {
            do {
                try reset(operation: operation)
            } catch {
                var reported = lost
                reported.underlying = error as? RegistryError
                throw reported
            }
            try execute("BEGIN", operation: operation)
        }
        do {
            let value = try body(self)
            try execute("COMMIT", operation: operation)
            return value
        } catch {
            if let handle, PQstatus(handle) == CONNECTION_OK, PQtransactionStatus(handle) != PQTRANS_IDLE {
                _ = try? execute("ROLLBACK", operation: operation)
            }
            throw error
        }
    }

    /// Sends one statement and returns its result, or throws the error it produced.
    func exec(
        _ sql: String, _ parameters: [any PostgresParameter], operation: String, binaryResults: Bool = false
    ) throws -> OpaquePointer {
        let handle = try requireHandle(operation)
        let result: OpaquePointer?
        if parameters.isEmpty && !binaryResults {
            result = PQexec(handle, sql)
        } else {
            result = Self.withParameters(parameters) { count, values in
                PQexecParams(handle, sql, count, nil, values, nil, nil, binaryResults ? 1 : 0)
            }
        }
        guard let result else { throw connectionError(handle, operation: operation) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_COPY_IN, PGRES_COPY_OUT:
            return result
        default:
            let error = resultError(result, handle: handle, operation: operation)
            PQclear(result)
            throw error
        }
    }

    /// Lays the parameters out as C strings for the duration of `body`.
    static func withParameters<R>(
        _ parameters: [any PostgresParameter],
        _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> R
    ) -> R {
        var storage: [CChar] = []
        var offsets: [Int?] = []
        offsets.reserveCapacity(parameters.count)
        for parameter in parameters {
            guard let text = parameter.postgresText else {
                offsets.append(nil)
                continue
            }
            offsets.append(storage.count)
            storage.append(contentsOf: text.utf8CString)
        }
        return storage.withUnsafeBufferPointer { buffer in
            let values: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { buffer.baseAddress! + $0 } }
            return values.withUnsafeBufferPointer { body(Int32(parameters.count), $0.baseAddress) }
        }
    }

    static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result), text.pointee != 0 else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// The error a failed result describes, with its SQLSTATE and fields.
    func resultError(_ result: OpaquePointer, handle: OpaquePointer, operation: String) -> RegistryError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let sqlState = field("C")
        let message = field("M") ?? Self.clientMessage(handle)
        let lost = PQstatus(handle) == CONNECTION_BAD || sqlState.map(Self.meansConnectionLoss) == true
        let code: RegistryError.Code = lost ? .connectionLost : sqlState == "57014" ? .cancelled : .server
        return RegistryError(
            code,
            operation: operation,
            message: settings.scrub(message),
            sqlState: sqlState,
            detail: field("D"),
            hint: field("H")
        )
    }

    /// The error for a failure with no result: a broken connection, most of the time.
    func connectionError(_ handle: OpaquePointer, operation: String) -> RegistryError {
        let lost = PQstatus(handle) == CONNECTION_BAD
        return RegistryError(
            lost ? .connectionLost : .unexpectedResult,
            operation: operation,
            message: settings.scrub(Self.clientMessage(handle))
        )
    }

    /// Class 08 (connection exception) and the shutdown codes of class 57.
    static func meansConnectionLoss(_ sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }
}
