/// A Bolt protocol version, as negotiated in the handshake.
public struct BoltVersion: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The major version (4 or 5 here).
    public var major: UInt8
    /// The minor version.
    public var minor: UInt8

    /// Creates a version.
    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    /// Orders versions by major, then minor.
    public static func < (lhs: BoltVersion, rhs: BoltVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public var description: String { "\(major).\(minor)" }
}
