import Foundation

/// Takes passwords out of text before it is recorded or printed: the password of a URL
/// (`postgresql://user:secret@host` → `postgresql://user:***@host`), a conninfo `password=`
/// (quoted or not), and any of the given secrets wherever they stand.
package enum CredentialRedaction {
    /// `text` with every password replaced by `***`.
    /// - Parameter secrets: values to hide wherever they appear (e.g. `PGPASSWORD`).
    package static func redact(_ text: String, secrets: [String] = defaultSecrets) -> String {
        var result = text
        for secret in secrets where secret.count >= 3 {
            result = result.replacingOccurrences(of: secret, with: "***")
        }
        result = result.replacing(urlPassword) { match in "\(match.output.1):***@" }
        result = result.replacing(conninfoPassword) { _ in "password=***" }
        return result
    }

    /// The secrets of the environment: libpq's and GraphIngest's password variables.
    package static var defaultSecrets: [String] {
        let environment = ProcessInfo.processInfo.environment
        return ["PGPASSWORD", "GRAPHINGEST_BOLT_PASSWORD", "GRAPHINGEST_BOLT_TOKEN"].compactMap { environment[$0] }.filter { !$0.isEmpty }
    }

    // nonisolated(unsafe): `Regex` is not Sendable, but these are built once and only matched
    // against, which reads them; nothing ever mutates them.

    /// `scheme://user:password@`: the user part is kept.
    private nonisolated(unsafe) static let urlPassword = #/([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*):[^@\s]*@/#
    /// `password = value` or `password='quoted \' value'` in a libpq conninfo.
    private nonisolated(unsafe) static let conninfoPassword = #/password\s*=\s*(?:'(?:[^'\\]|\\.)*'|[^\s]+)/#
}
