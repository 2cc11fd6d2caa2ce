/// The Bolt handshake: the magic preamble, our four version proposals, and the server's answer.
///
/// See https://neo4j.com/docs/bolt/current/bolt/handshake/.
package enum BoltHandshake {
    /// The four bytes every Bolt connection starts with.
    package static let magic: [UInt8] = [0x60, 0x60, 0xB0, 0x17]

    /// What we offer, most preferred first: 5.8 down to 5.0 (one range proposal), then 4.4.
    package static let proposals: [(version: BoltVersion, range: UInt8)] = [
        (BoltVersion(major: 5, minor: 8), 8),
        (BoltVersion(major: 4, minor: 4), 0),
    ]

    /// The 20 bytes the client sends: the magic and four 4-byte proposals
    /// (`00 range minor major`, unused slots zero).
    package static var request: [UInt8] {
        var bytes = magic
        for slot in 0..<4 {
            if slot < proposals.count {
                let proposal = proposals[slot]
                bytes += [0, proposal.range, proposal.version.minor, proposal.version.major]
            } else {
                bytes += [0, 0, 0, 0]
            }
        }
        return bytes
    }

    /// Whether a version is one of those we offered.
    package static func offers(_ version: BoltVersion) -> Bool {
        proposals.contains { proposal in
            proposal.version.major == version.major
                && version.minor <= proposal.version.minor
                && version.minor >= proposal.version.minor - min(proposal.range, proposal.version.minor)
        }
    }

    /// Reads the server's 4-byte answer: the chosen version, or nil when it accepted none.
    package static func version(fromResponse bytes: [UInt8]) -> BoltVersion? {
        guard bytes.count == 4, bytes != [0, 0, 0, 0] else { return nil }
        return BoltVersion(major: bytes[3], minor: bytes[2])
    }
}
