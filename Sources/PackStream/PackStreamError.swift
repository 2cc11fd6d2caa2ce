/// Why PackStream bytes could not be decoded, and at which offset.
///
/// The offset counts from the start of the value being decoded (for Bolt: from the start of the
/// message). `description` names the problem and the offset, never the data.
public struct PackStreamError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong; extensible without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: Hashable, Sendable {
            case truncated, unknownMarker, sizeBeyondBuffer, nestingTooDeep, invalidUTF8, nonStringKey, trailingBytes
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The input ended inside a value.
        public static let truncated = Code(.truncated)
        /// A byte that is no PackStream marker.
        public static let unknownMarker = Code(.unknownMarker)
        /// A declared size larger than the bytes that are left.
        public static let sizeBeyondBuffer = Code(.sizeBeyondBuffer)
        /// Lists, maps and structures nested deeper than the decoder's limit.
        public static let nestingTooDeep = Code(.nestingTooDeep)
        /// A string that is not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// A map key that is not a string.
        public static let nonStringKey = Code(.nonStringKey)
        /// Bytes left after the value that should have ended the input.
        public static let trailingBytes = Code(.trailingBytes)

        public var description: String {
            switch base {
            case .truncated: return "truncated input"
            case .unknownMarker: return "unknown marker"
            case .sizeBeyondBuffer: return "size beyond the end of the input"
            case .nestingTooDeep: return "nesting too deep"
            case .invalidUTF8: return "invalid UTF-8 in a string"
            case .nonStringKey: return "map key is not a string"
            case .trailingBytes: return "trailing bytes after the value"
            }
        }
    }

    /// The code.
    public var code: Code
    /// Offset of the offending byte from the start of the decoded input.
    public var offset: Int
    /// A short detail without user data (a marker byte, a size).
    public var detail: String

    /// Creates a value from its parts.
    public init(code: Code, offset: Int, detail: String = "") {
        self.code = code
        self.offset = offset
        self.detail = detail
    }

    public var description: String {
        "PackStream: \(code) at offset \(offset)" + (detail.isEmpty ? "" : " (\(detail))")
    }
}
