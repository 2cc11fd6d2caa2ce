import ArgumentParser
import GraphStore

/// `--dialect`: `auto` to detect the graph database from its agent, or a ``GraphDialect`` name.
struct DialectChoice: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The dialect asked for; nil to detect it.
    let dialect: GraphDialect?

    static let auto = DialectChoice(dialect: nil)

    private init(dialect: GraphDialect?) {
        self.dialect = dialect
    }

    init?(argument: String) {
        if argument == "auto" {
            self = .auto
        } else if let dialect = GraphDialect(rawValue: argument) {
            self.init(dialect: dialect)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ["auto"] + GraphDialect.allCases.map(\.rawValue) }

    var description: String { dialect?.rawValue ?? "auto" }
}
