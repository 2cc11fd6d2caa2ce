/// A Bolt server's host and port.
public struct BoltAddress: Hashable, Sendable, CustomStringConvertible {
    /// A host name or IP address.
    public var host: String
    /// The TCP port (7687 by default).
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int = 7687) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port` (as routing tables list servers); the port defaults to 7687.
    public init?(_ text: String) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            port = rest.hasPrefix(":") ? Int(rest.dropFirst()) ?? 7687 : 7687
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, let first = parts.first, !first.isEmpty else { return nil }
        host = String(first)
        if parts.count == 2 {
            guard let port = Int(parts[1]), (0...65535).contains(port) else { return nil }
            self.port = port
        } else {
            port = 7687
        }
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
