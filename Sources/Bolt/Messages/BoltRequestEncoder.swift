import NIOCore
import PackStream

/// Writes client messages, already chunked, into one buffer: one method per request, no
/// intermediate message values. Several requests written before a flush are pipelined.
///
/// See https://neo4j.com/docs/bolt/current/bolt/message/#client-messages.
package struct BoltRequestEncoder {
    /// The request tags, named as in the spec.
    package enum Tag {
        package static let hello: UInt8 = 0x01
        package static let goodbye: UInt8 = 0x02
        package static let reset: UInt8 = 0x0F
        package static let run: UInt8 = 0x10
        package static let begin: UInt8 = 0x11
        package static let commit: UInt8 = 0x12
        package static let rollback: UInt8 = 0x13
        package static let discard: UInt8 = 0x2F
        package static let pull: UInt8 = 0x3F
        package static let route: UInt8 = 0x66
        package static let logon: UInt8 = 0x6A
        package static let logoff: UInt8 = 0x6B
    }

    /// The bytes written so far.
    package var buffer: ByteBuffer
    /// The negotiated version: it decides where auth goes and which HELLO fields exist.
    package var version: BoltVersion
    /// Temporal values in the 4.4 legacy forms (a 4.4 server without the `utc` patch).
    package var usesLegacyDateTime: Bool
    private var chunks: BoltChunkWriter

    package init(buffer: ByteBuffer = ByteBuffer(), version: BoltVersion, usesLegacyDateTime: Bool = false, maximumChunkSize: Int = 65_535) {
        self.buffer = buffer
        self.version = version
        self.usesLegacyDateTime = usesLegacyDateTime
        self.chunks = BoltChunkWriter(maximumChunkSize: maximumChunkSize)
    }

    /// Hands the written bytes over and starts an empty buffer.
    package mutating func takeBuffer() -> ByteBuffer {
        let written = buffer
        buffer = ByteBuffer()
        return written
    }

    /// Writes one message: its body through a PackStream writer, then chunked into the buffer.
    private mutating func message(_ tag: UInt8, fields: Int, _ body: (inout PackStreamWriter) -> Void = { _ in }) {
        var writer = PackStreamWriter()
        writer.usesLegacyDateTime = usesLegacyDateTime
        writer.writeStructureHeader(tag: tag, fieldCount: fields)
        body(&writer)
        chunks.writeMessage(writer.bytes, into: &buffer)
    }

    /// HELLO: user agent, routing context, `bolt_agent` (5.3+), auth before 5.1, and on 4.4 the
    /// `utc` patch (temporal values in the 5.x forms).
    package mutating func hello(userAgent: String, auth: BoltAuth, routing: [String: String]?) {
        let version = self.version
        message(Tag.hello, fields: 1) { writer in
            var count = 1
            let patchUTC = version < BoltVersion(major: 5, minor: 0)
            if patchUTC { count += 1 }
            if routing != nil { count += 1 }
            if version >= BoltVersion(major: 5, minor: 3) { count += 1 }
            let authEntries = version < BoltVersion(major: 5, minor: 1) ? auth.entries : []
            count += authEntries.count
            writer.writeMapHeader(count: count)
            writer.writeString("user_agent")
            writer.writeString(userAgent)
            if patchUTC {
                writer.writeString("patch_bolt")
                ["utc"].encode(to: &writer)
            }
            if let routing {
                writer.writeString("routing")
                routing.encode(to: &writer)
            }
            if version >= BoltVersion(major: 5, minor: 3) {
                writer.writeString("bolt_agent")
                writer.writeMapHeader(count: 3)
                writer.writeString("product")
                writer.writeString(userAgent)
                writer.writeString("platform")
                writer.writeString(Self.platform)
                writer.writeString("language")
                writer.writeString("Swift/6")
            }
            for (key, value) in authEntries {
                writer.writeString(key)
                writer.writeString(value)
            }
        }
    }

    #if os(Linux)
    private static let platform = "Linux"
    #else
    private static let platform = "Darwin"
    #endif

    /// LOGON (5.1+): the auth map.
    package mutating func logon(auth: BoltAuth) {
        message(Tag.logon, fields: 1) { writer in
            let entries = auth.entries
            writer.writeMapHeader(count: entries.count)
            for (key, value) in entries {
                writer.writeString(key)
                writer.writeString(value)
            }
        }
    }

    /// LOGOFF (5.1+).
    package mutating func logoff() { message(Tag.logoff, fields: 0) }

    /// RUN: the query, its parameters, and the extra map (empty inside an explicit transaction).
    package mutating func run(_ query: String, parameters: [String: PackStreamParameter], configuration: BoltTransactionConfiguration?) {
        message(Tag.run, fields: 3) { writer in
            writer.writeString(query)
            writer.writeParameters(parameters)
            Self.writeExtra(configuration, to: &writer)
        }
    }

    /// BEGIN: the transaction's extra map.
    package mutating func begin(_ configuration: BoltTransactionConfiguration) {
        message(Tag.begin, fields: 1) { writer in Self.writeExtra(configuration, to: &writer) }
    }

    package mutating func commit() { message(Tag.commit, fields: 0) }
    package mutating func rollback() { message(Tag.rollback, fields: 0) }
    package mutating func reset() { message(Tag.reset, fields: 0) }
    package mutating func goodbye() { message(Tag.goodbye, fields: 0) }

    /// PULL: `n` more records (-1 for all) of the query `qid` (-1, omitted, for the last one).
    package mutating func pull(_ count: Int64, queryId: Int64 = -1) {
        streamRequest(Tag.pull, count: count, queryId: queryId)
    }

    /// DISCARD: drop `n` records (-1 for all) of the query `qid`.
    package mutating func discard(_ count: Int64, queryId: Int64 = -1) {
        streamRequest(Tag.discard, count: count, queryId: queryId)
    }

    private mutating func streamRequest(_ tag: UInt8, count: Int64, queryId: Int64) {
        message(tag, fields: 1) { writer in
            writer.writeMapHeader(count: queryId == -1 ? 1 : 2)
            writer.writeString("n")
            writer.writeInteger(count)
            if queryId != -1 {
                writer.writeString("qid")
                writer.writeInteger(queryId)
            }
        }
    }

    /// ROUTE (4.4+): routing context, bookmarks, and an extra map with `db` and `imp_user`.
    package mutating func route(routing: [String: String], bookmarks: [String], database: String?, impersonatedUser: String? = nil) {
        message(Tag.route, fields: 3) { writer in
            routing.encode(to: &writer)
            bookmarks.encode(to: &writer)
            writer.writeMapHeader(count: (database == nil ? 0 : 1) + (impersonatedUser == nil ? 0 : 1))
            if let database {
                writer.writeString("db")
                writer.writeString(database)
            }
            if let impersonatedUser {
                writer.writeString("imp_user")
                writer.writeString(impersonatedUser)
            }
        }
    }

    private static func writeExtra(_ configuration: BoltTransactionConfiguration?, to writer: inout PackStreamWriter) {
        guard let configuration else {
            writer.writeMapHeader(count: 0)
            return
        }
        var count = 0
        if !configuration.bookmarks.isEmpty { count += 1 }
        if configuration.timeout != nil { count += 1 }
        if !configuration.metadata.isEmpty { count += 1 }
        if configuration.accessMode == .read { count += 1 }
        if configuration.database != nil { count += 1 }
        if configuration.impersonatedUser != nil { count += 1 }
        writer.writeMapHeader(count: count)
        if !configuration.bookmarks.isEmpty {
            writer.writeString("bookmarks")
            configuration.bookmarks.encode(to: &writer)
        }
        if let timeout = configuration.timeout {
            writer.writeString("tx_timeout")
            let (seconds, attoseconds) = timeout.components
            writer.writeInteger(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
        if !configuration.metadata.isEmpty {
            writer.writeString("tx_metadata")
            writer.writeMap(configuration.metadata)
        }
        if configuration.accessMode == .read {
            writer.writeString("mode")
            writer.writeString("r")
        }
        if let database = configuration.database {
            writer.writeString("db")
            writer.writeString(database)
        }
        if let user = configuration.impersonatedUser {
            writer.writeString("imp_user")
            writer.writeString(user)
        }
    }
}
