/// An error of community detection: options out of range, edges the graph cannot take, or a
/// failure reported by igraph.
///
/// `description` names the problem and, for a bad edge, its entity keys (keys are identifiers
/// from the gazetteer and rules, not document text).
public struct CommunityError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is (extensible: new codes are static members).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case invalidOption, invalidEdge, igraph }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// An option is out of its range (a resolution of 0, a maximum size below 2).
        public static let invalidOption = Code(.invalidOption)
        /// An edge is refused: a weight below 1, a self-loop, a pair given twice, or a key with a
        /// line feed or spelled two ways.
        public static let invalidEdge = Code(.invalidEdge)
        /// igraph reported a failure (out of memory, an invalid value).
        public static let igraph = Code(.igraph)

        /// The code's name, e.g. "invalidEdge".
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// What went wrong, in words.
    public var message: String
    /// Where the error was made.
    public var file: String
    /// The line in `file` where the error was made.
    public var line: Int

    /// Makes an error; `file` and `line` default to the caller's.
    public init(_ code: Code, message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.file = file
        self.line = line
    }

    /// `<code>: <message>`.
    public var description: String { "\(code): \(message)" }
}
