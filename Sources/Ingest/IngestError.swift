/// An error of the pipelines that is not a server's or a reader's: bad configuration, a missing
/// prerequisite. Server errors keep their own types (`BoltError`, `RegistryError`).
public struct IngestError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is (extensible).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Sendable { case configuration, unreachable }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A usage or configuration problem (exit 2).
        public static let configuration = Code(.configuration)
        /// A server could not be reached (exit 3).
        public static let unreachable = Code(.unreachable)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
