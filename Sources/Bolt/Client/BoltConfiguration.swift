/// How a ``BoltClient`` reaches its server: parsed from a URI, then adjustable.
///
/// Schemes: `bolt://` (one server), `neo4j://` (routing), each with `+s` (TLS, certificate
/// verified against the system trust store) or `+ssc` (TLS, self-signed certificate accepted).
public struct BoltConfiguration: Sendable {
    /// The server from the URI (for `neo4j://`, the router asked for routing tables).
    public var address: BoltAddress
    /// Whether to route (`neo4j://`): writes to the writer, reads to readers, from ROUTE tables.
    public var routing: Bool
    /// TLS, or nil for plain TCP.
    public var tls: BoltTLSMode?
    /// The credentials sent in HELLO or LOGON.
    public var auth: BoltAuth
    /// Sent in HELLO as `user_agent` (and `bolt_agent.product` on 5.3+).
    public var userAgent: String
    /// Connections per server at most.
    public var maximumPoolSize: Int
    /// Records asked for per PULL; the AsyncSequence asks for the next batch as it is consumed.
    public var fetchSize: Int
    /// TCP connect, handshake and HELLO together.
    public var connectTimeout: Duration
    /// How long to wait for the server's next message while requests are outstanding (checked
    /// every such period, so it fires after one to two of them); nil (the default) waits as long
    /// as the server works. On expiry the connection closes with `.timeout` (a server that drops
    /// a message it cannot take would otherwise hang the caller).
    public var responseTimeout: Duration?
    /// How long a managed transaction keeps retrying retryable errors (30 s, as the official drivers).
    public var maximumRetryTime: Duration
    /// The first retry delay; each next one doubles, with ±20% jitter.
    public var initialRetryDelay: Duration
    /// Told of each error a managed transaction is about to retry (for metrics); nil by default.
    public var retryObserver: (@Sendable (BoltError) -> Void)?
    /// The routing context sent in HELLO and ROUTE (the URI's query items).
    public var routingParameters: [String: String]

    /// Parses a Bolt URI such as `bolt://localhost:7687` or `neo4j+s://db.example.com`.
    ///
    /// - Throws: ``BoltError`` with `.invalidConfiguration` for an unknown scheme or a URI
    ///   without a host.
    public init(uri: String, auth: BoltAuth = .none, userAgent: String = "graphingest/0.1.0") throws {
        let pieces = uri.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2 else {
            throw BoltError(.invalidConfiguration, reason: "not a Bolt URI (expected bolt://host:port or neo4j://host:port)")
        }
        let scheme = pieces[0].lowercased()
        switch scheme {
        case "bolt": (routing, tls) = (false, nil)
        case "bolt+s": (routing, tls) = (false, .verified)
        case "bolt+ssc": (routing, tls) = (false, .selfSigned)
        case "neo4j": (routing, tls) = (true, nil)
        case "neo4j+s": (routing, tls) = (true, .verified)
        case "neo4j+ssc": (routing, tls) = (true, .selfSigned)
        default:
            throw BoltError(.invalidConfiguration, reason: "unknown scheme \(scheme) (use bolt, bolt+s, bolt+ssc, neo4j, neo4j+s or neo4j+ssc)")
        }
        var rest = pieces[1]
        var parameters: [String: String] = [:]
        if let query = rest.firstIndex(of: "?") {
            for item in rest[rest.index(after: query)...].split(separator: "&") {
                let pair = item.split(separator: "=", maxSplits: 1)
                parameters[String(pair[0])] = pair.count > 1 ? String(pair[1]) : ""
            }
            rest = rest[..<query]
        }
        if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        guard let address = BoltAddress(String(rest)) else {
            throw BoltError(.invalidConfiguration, reason: "no host in the Bolt URI")
        }
        self.address = address
        self.auth = auth
        self.userAgent = userAgent
        self.maximumPoolSize = 16
        self.fetchSize = 1000
        self.connectTimeout = .seconds(10)
        self.responseTimeout = nil
        self.maximumRetryTime = .seconds(30)
        self.initialRetryDelay = .seconds(1)
        self.routingParameters = parameters
    }

    /// The URI this configuration connects to: scheme, host and port (no credentials, no
    /// routing parameters), for messages.
    public var uri: String {
        let scheme = routing ? "neo4j" : "bolt"
        switch tls {
        case nil: return "\(scheme)://\(address)"
        case .verified: return "\(scheme)+s://\(address)"
        case .selfSigned: return "\(scheme)+ssc://\(address)"
        }
    }

    /// The routing context for HELLO: present only when routing, with the address asked.
    func routingContext(for address: BoltAddress) -> [String: String]? {
        guard routing else { return nil }
        var context = routingParameters
        context["address"] = self.address.description
        return context
    }
}

/// The TLS flavours of the `+s` and `+ssc` schemes.
public enum BoltTLSMode: Sendable, Hashable {
    /// Verify the certificate chain and host name against the system trust store (`+s`).
    case verified
    /// Accept any certificate, as for a self-signed one (`+ssc`).
    case selfSigned
}
