import NIOCore
import PackStream

/// What the server sends: a summary (SUCCESS, IGNORED, FAILURE) or a RECORD.
///
/// See https://neo4j.com/docs/bolt/current/bolt/message/#server-messages.
package enum BoltServerMessage: Sendable, Equatable {
    /// SUCCESS (`0x70`) with its metadata.
    case success([String: PackStreamValue])
    /// RECORD (`0x71`) with its fields.
    case record([PackStreamValue])
    /// IGNORED (`0x7E`): the server skipped the request after an earlier FAILURE.
    case ignored
    /// FAILURE (`0x7F`): the server's code and message.
    case failure(BoltServerFailure)

    package enum Tag {
        package static let success: UInt8 = 0x70
        package static let record: UInt8 = 0x71
        package static let ignored: UInt8 = 0x7E
        package static let failure: UInt8 = 0x7F
    }

    /// Decodes one whole message body (the chunks already joined).
    package static func decode(from buffer: inout ByteBuffer, decoder: PackStreamDecoder = PackStreamDecoder()) throws(PackStreamError) -> BoltServerMessage {
        let origin = buffer.readerIndex
        let (tag, fieldCount) = try decoder.decodeStructureHeader(from: &buffer, origin: origin)
        switch (tag, fieldCount) {
        case (Tag.record, 1):
            let start = buffer.readerIndex
            guard case .list(let fields) = try decoder.decode(from: &buffer, origin: origin) else {
                throw PackStreamError(code: .unknownMarker, offset: start - origin, detail: "RECORD fields are not a list")
            }
            return .record(fields)
        case (Tag.success, 1):
            return .success(try metadata(from: &buffer, decoder: decoder, origin: origin))
        case (Tag.failure, 1):
            return .failure(BoltServerFailure(metadata: try metadata(from: &buffer, decoder: decoder, origin: origin)))
        case (Tag.ignored, _):
            for _ in 0..<fieldCount { _ = try decoder.decode(from: &buffer, origin: origin) }
            return .ignored
        default:
            throw PackStreamError(code: .unknownMarker, offset: 1, detail: "unknown message \(tag) with \(fieldCount) fields")
        }
    }

    private static func metadata(from buffer: inout ByteBuffer, decoder: PackStreamDecoder, origin: Int) throws(PackStreamError) -> [String: PackStreamValue] {
        let start = buffer.readerIndex
        guard case .map(let metadata) = try decoder.decode(from: &buffer, origin: origin) else {
            throw PackStreamError(code: .unknownMarker, offset: start - origin, detail: "metadata is not a map")
        }
        return metadata
    }
}

/// The content of a FAILURE: Neo4j's status code and message (Bolt 5.7 calls the code
/// `neo4j_code` and adds a GQL status).
package struct BoltServerFailure: Sendable, Equatable {
    package var code: String
    package var message: String
    package var gqlStatus: String?

    package init(code: String, message: String, gqlStatus: String? = nil) {
        self.code = code
        self.message = message
        self.gqlStatus = gqlStatus
    }

    package init(metadata: [String: PackStreamValue]) {
        self.init(
            code: metadata["code"]?.stringValue ?? metadata["neo4j_code"]?.stringValue ?? "Neo.DatabaseError.General.UnknownError",
            message: metadata["message"]?.stringValue ?? metadata["description"]?.stringValue ?? "",
            gqlStatus: metadata["gql_status"]?.stringValue
        )
    }
}
