import CLibPQ
import Foundation

/// Where the registry's PostgreSQL is: a libpq conninfo string or postgres:// URL.
///
/// Resolution follows docs/design.md: `--postgres`, else `GRAPHINGEST_POSTGRES`, else the empty
/// conninfo, with which libpq reads its own `PG*` variables. `description` hides the password.
public struct RegistryConnectionSettings: Sendable, Equatable, CustomStringConvertible {
    /// The conninfo or URL handed to libpq; may hold a password, so never print it.
    public var conninfo: String

    /// Wraps a conninfo string (`host=... dbname=...`), a `postgres://` URL, or `""` for the
    /// `PG*` variables.
    public init(conninfo: String) {
        self.conninfo = conninfo
    }

    /// Resolves the settings from a command-line value and the process environment.
    public static func resolve(option: String?, environment: [String: String]) -> RegistryConnectionSettings {
        if let option, !option.isEmpty {
            return RegistryConnectionSettings(conninfo: option)
        }
        if let value = environment["GRAPHINGEST_POSTGRES"], !value.isEmpty {
            return RegistryConnectionSettings(conninfo: value)
        }
        return RegistryConnectionSettings(conninfo: "")
    }

    /// The conninfo with its password replaced by `***`; safe for logs.
    public var description: String {
        scrub(conninfo)
    }

    /// Replaces every occurrence of the password (from the conninfo or `PGPASSWORD`) in `text`.
    ///
    /// Used on every message that libpq writes about a connection: a malformed conninfo makes
    /// libpq quote the fragment it could not parse, which may be the password.
    package func scrub(_ text: String) -> String {
        var scrubbed = text
        for secret in secrets() where !secret.isEmpty {
            scrubbed = scrubbed.replacingOccurrences(of: secret, with: "***")
            // URLs carry the password percent-encoded.
            if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed), encoded != secret {
                scrubbed = scrubbed.replacingOccurrences(of: encoded, with: "***")
            }
        }
        return scrubbed
    }

    private func secrets() -> [String] {
        var found: [String] = []
        if let password = ProcessInfo.processInfo.environment["PGPASSWORD"] { found.append(password) }
        if let password = Self.parsedPassword(conninfo) { found.append(password) }
        if let password = URLComponents(string: conninfo)?.password { found.append(password) }
        return found
    }

    private static func parsedPassword(_ conninfo: String) -> String? {
        guard !conninfo.isEmpty else { return nil }
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            if let errorMessage { PQfreemem(errorMessage) }
            return nil
        }
        defer { PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            if strcmp(keyword, "password") == 0, let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return nil
    }
}
