internal import CICU

/// Regular-expression rules: each finds mentions of one type and makes their entity key from a
/// template. Patterns are ICU regular expressions, compiled when the set is made (so a bad one
/// fails early, naming its line) and again in each worker's session.
public struct RuleSet: Sendable {
    /// One rule: a TSV line `type	pattern	key`.
    public struct Rule: Sendable, Hashable {
        /// The entity type of what the rule finds, e.g. "Email".
        public var type: String
        /// An ICU regular expression.
        public var pattern: String
        /// The key template: `{match}` is the matched text, `{lower}` the matched text in lower case,
        /// e.g. `email:{lower}`.
        public var key: String

        /// Makes a rule from its TSV fields.
        public init(type: String, pattern: String, key: String) {
            self.type = type
            self.pattern = pattern
            self.key = key
        }

        /// The entity key of a match.
        public func key(for match: String) -> String {
            key.replacingAll("{match}", with: match).replacingAll("{lower}", with: match.lowercased())
        }
    }

    /// The rules, in file order (an earlier rule wins a tie on the same span).
    public let rules: [Rule]
    /// A SHA-256 of the rules, for `ExtractionOptions.fingerprint`.
    public let contentHash: String

    /// No rules.
    public static let empty = RuleSet(checked: [], hash: SHA256.hex([UInt8]()))

    private init(checked: [Rule], hash: String) {
        rules = checked
        contentHash = hash
    }

    /// Checks and keeps `rules`.
    /// - Throws: `ExtractionError.badLine` when a pattern does not compile (`line` is the rule's
    ///   1-based position).
    public init(rules: [Rule]) throws(ExtractionError) {
        var hash = SHA256()
        for (index, rule) in rules.enumerated() {
            do throws(ExtractionError) {
                try Self.check(rule)
            } catch {
                throw ExtractionError(.badLine, message: "rule \(index + 1): \(error.message)", line: index + 1)
            }
            hash.update("\(rule.type)\t\(rule.pattern)\t\(rule.key)\n")
        }
        self.init(checked: rules, hash: hash.hexDigest())
    }

    /// Loads a TSV file with the header `type	pattern	key`.
    /// - Throws: `ExtractionError` naming the file and line of a malformed line or a pattern ICU
    ///   rejects (rules are configuration: a bad one always fails).
    public static func load(path: String) throws(ExtractionError) -> RuleSet {
        let bytes = try FileBytes.readText(path)
        var rules: [Rule] = []
        try bytes.withUnsafeBufferPointer { buffer throws(ExtractionError) in
            var columns: (type: Int, pattern: Int, key: Int, count: Int)?
            try FileBytes.forEachLine(buffer) { line, number throws(ExtractionError) in
                guard let text = String(validating: line, as: UTF8.self) else {
                    throw ExtractionError(.badLine, message: "not valid UTF-8", path: path, line: number)
                }
                if text.trimmed.isEmpty { return }
                let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard let known = columns else {
                    let names = fields.map { $0.trimmed.lowercased() }
                    guard let type = names.firstIndex(of: "type"), let pattern = names.firstIndex(of: "pattern"), let key = names.firstIndex(of: "key") else {
                        throw ExtractionError(.badLine, message: "expected the header 'type\tpattern\tkey'", path: path, line: number)
                    }
                    columns = (type, pattern, key, names.count)
                    return
                }
                guard fields.count == known.count else {
                    throw ExtractionError(.badLine, message: "expected \(known.count) columns, found \(fields.count)", path: path, line: number)
                }
                let rule = Rule(type: String(fields[known.type].trimmed), pattern: fields[known.pattern], key: String(fields[known.key].trimmed))
                guard !rule.type.isEmpty, !rule.pattern.isEmpty, !rule.key.isEmpty else {
                    throw ExtractionError(.badLine, message: "type, pattern and key must not be empty", path: path, line: number)
                }
                do throws(ExtractionError) {
                    try check(rule)
                } catch {
                    throw ExtractionError(.badLine, message: error.message, path: path, line: number)
                }
                rules.append(rule)
            }
        }
        return RuleSet(checked: rules, hash: SHA256.hex(bytes))
    }

    private static func check(_ rule: Rule) throws(ExtractionError) {
        _ = try CompiledRegex(rule.pattern)
    }
}

/// One ICU regular expression, owned by one worker (ICU's matcher keeps state).
final class CompiledRegex {
    private let regex: OpaquePointer
    private var starts: [Int32] = [Int32](repeating: 0, count: 64)
    private var ends: [Int32] = [Int32](repeating: 0, count: 64)

    init(_ pattern: String) throws(ExtractionError) {
        let units = Array(pattern.utf16)
        var status: gi_status = 0
        var line: Int32 = 0
        var offset: Int32 = 0
        guard let regex = gi_regex_open(units, Int32(units.count), 0, &line, &offset, &status) else {
            throw ExtractionError(.badLine, message: "invalid regular expression (\(String(cString: gi_status_name(status))) at offset \(offset))")
        }
        self.regex = regex
    }

    deinit { gi_regex_close(regex) }

    /// Every match in the text, as UTF-16 ranges, from one call into ICU.
    func matches(in units: UnsafeBufferPointer<UInt16>) throws(ExtractionError) -> [Range<Int32>] {
        while true {
            var status: gi_status = 0
            let capacity = Int32(starts.count)
            let found = gi_regex_find_all(regex, units.baseAddress, Int32(units.count), &starts, &ends, capacity, &status)
            if gi_status_is_failure(status) != 0 {
                throw ExtractionError(.icu, message: "regular expression matching failed: \(String(cString: gi_status_name(status)))")
            }
            if found <= capacity {
                return (0..<Int(found)).map { starts[$0]..<ends[$0] }
            }
            starts = [Int32](repeating: 0, count: Int(found))
            ends = starts
        }
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
