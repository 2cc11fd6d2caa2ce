/// An error of the extraction stage: reading, decoding, tokenizing or matching.
///
/// `description` names the file and line where there is one, never document text.
public struct ExtractionError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is (extensible: new codes are static members).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case icu, unreadable, decoding, badLine, invalidOption }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// ICU reported a failure.
        public static let icu = Code(.icu)
        /// A file could not be read.
        public static let unreadable = Code(.unreadable)
        /// A file could not be decoded to text.
        public static let decoding = Code(.decoding)
        /// A gazetteer, rules or record line is malformed.
        public static let badLine = Code(.badLine)
        /// An option is out of its range (a chunk size of 0, an overlap not below the size).
        public static let invalidOption = Code(.invalidOption)

        /// The code's name, e.g. "badLine".
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    public var message: String
    /// The file the error is about, if any.
    public var path: String?
    /// The 1-based line in `path`, if any.
    public var line: Int?
    /// For a bad interchange chunk line: the source of the document the line names, which then
    /// cannot be loaded whole (a document never lands with some of its chunks missing).
    public var documentSource: String?

    /// Makes an error; `path` and `line` locate it in a file when there is one.
    public init(_ code: Code, message: String, path: String? = nil, line: Int? = nil, documentSource: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
        self.line = line
        self.documentSource = documentSource
    }

    /// `path:line: message`, without document text.
    public var description: String {
        var location = ""
        if let path {
            location = line.map { "\(path):\($0): " } ?? "\(path): "
        }
        return "\(location)\(message)"
    }
}
