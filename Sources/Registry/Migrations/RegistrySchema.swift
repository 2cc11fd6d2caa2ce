import Foundation

/// The PostgreSQL schema that holds the registry's tables: `graphingest` unless a test or a
/// deployment picks another name.
public struct RegistrySchema: Sendable, Hashable, CustomStringConvertible {
    /// The schema name, checked to be a plain lower-case SQL identifier.
    public let name: String

    /// The default schema, `graphingest`.
    public static let standard = RegistrySchema(validated: "graphingest")

    /// Checks `name`: lower-case letters, digits and `_`, not starting with a digit, at most 63
    /// bytes (PostgreSQL's identifier limit).
    ///
    /// - Throws: `RegistryError` `invalidArgument` for any other name.
    public init(_ name: String) throws {
        let valid = !name.isEmpty && name.utf8.count <= 63
            && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
            && !(name.utf8.first.map { $0 >= 48 && $0 <= 57 } ?? true)
        guard valid else {
            throw RegistryError(.invalidArgument, operation: "schema", message: "schema name must match [a-z_][a-z0-9_]{0,62}")
        }
        self.name = name
    }

    private init(validated name: String) {
        self.name = name
    }

    /// The name as a quoted SQL identifier.
    package var quoted: String { "\"\(name)\"" }

    /// `sql` with every `{schema}` replaced by the quoted schema name.
    ///
    /// Only identifiers are put into SQL this way (the name is validated); values always travel
    /// as parameters.
    /// Byte by byte rather than with Foundation's `replacingOccurrences`, which bridges through
    /// NSString: statements are prepared per batch, and that showed in `load`'s profile.
    package func sql(_ sql: String) -> String {
        let placeholder = Array("{schema}".utf8)
        let source = Array(sql.utf8)
        var result: [UInt8] = []
        result.reserveCapacity(source.count + 32)
        var index = 0
        while index < source.count {
            if source[index] == placeholder[0], source[index...].starts(with: placeholder) {
                result.append(contentsOf: quoted.utf8)
                index += placeholder.count
            } else {
                result.append(source[index])
                index += 1
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The schema name.
    public var description: String { name }
}
