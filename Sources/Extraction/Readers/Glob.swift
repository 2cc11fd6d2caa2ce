/// A shell-style pattern for `--include` / `--exclude`: `*` matches within one path segment,
/// `**` across segments, `?` one character, `[abc]` / `[a-z]` / `[!a]` a class. A pattern without
/// `/` is matched against the file name alone; one with `/` against the path relative to the root.
public struct Glob: Sendable, Hashable {
    public let pattern: String
    private let scalars: [Unicode.Scalar]
    private let matchesName: Bool

    /// Compiles a pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
        matchesName = !pattern.contains("/")
    }

    /// Whether `relativePath` (segments separated by `/`) matches.
    public func matches(_ relativePath: String) -> Bool {
        let subject = matchesName ? String(relativePath.split(separator: "/").last ?? "") : relativePath
        return Self.match(scalars[...], Array(subject.unicodeScalars)[...])
    }

    private static func match(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let head = pattern.first else { return text.isEmpty }
        switch head {
        case "*":
            let doubled = pattern.dropFirst().first == "*"
            var rest = pattern.dropFirst(doubled ? 2 : 1)
            if doubled && rest.first == "/" {
                // "**/" also matches no folder at all.
                if match(rest.dropFirst(), text) { return true }
                rest = pattern.dropFirst(2)
            }
            var candidate = text
            while true {
                if match(rest, candidate) { return true }
                guard let next = candidate.first, doubled || next != "/" else { return false }
                candidate = candidate.dropFirst()
            }
        case "?":
            guard let next = text.first, next != "/" else { return false }
            return match(pattern.dropFirst(), text.dropFirst())
        case "[":
            guard let next = text.first, let close = pattern.dropFirst(2).firstIndex(of: "]") else {
                return text.first == "[" && match(pattern.dropFirst(), text.dropFirst())
            }
            var members = pattern[(pattern.startIndex + 1)..<close]
            let negated = members.first == "!" || members.first == "^"
            if negated { members = members.dropFirst() }
            var found = false
            var index = members.startIndex
            while index < members.endIndex {
                if index + 2 < members.endIndex, members[index + 1] == "-" {
                    if members[index] <= next && next <= members[index + 2] { found = true }
                    index += 3
                } else {
                    if members[index] == next { found = true }
                    index += 1
                }
            }
            return found != negated && next != "/" && match(pattern[(close + 1)...], text.dropFirst())
        default:
            return text.first == head && match(pattern.dropFirst(), text.dropFirst())
        }
    }
}
