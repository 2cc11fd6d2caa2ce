import NIOCore

/// Adds TLS to a new channel.
enum BoltTLS {
    static func addHandler(_ mode: BoltTLSMode, host: String, to channel: any Channel) throws {
        throw BoltError(.tls, address: host, reason: "TLS (bolt+s, bolt+ssc) is not built into this client yet")
    }
}
