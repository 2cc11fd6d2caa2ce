import ArgumentParser
import Foundation
import GraphStore
import Ingest
import PackStream
import Telemetry

/// `graphingest query CYPHER [--param NAME=JSON ...] [--read] [--json]`: one statement in a
/// managed transaction, printed as an aligned table or as JSON lines. It needs only the graph
/// database, so it takes only the graph's options.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Run one Cypher statement in a managed transaction.")
    @Argument(help: "The Cypher statement.") var cypher: String
    @Option(name: .customLong("param"), help: "A parameter as NAME=JSON (repeatable).") var parameters: [String] = []
    @Flag(help: "Run as a read transaction (routed to a reader).") var read = false
    @Flag(help: "Print records as JSON lines.") var json = false
    @OptionGroup var graph: GraphOptions

    /// The parameters, parsed: a malformed one is a usage error (exit 2).
    func parsedParameters() throws -> [String: PackStreamValue] {
        var values: [String: PackStreamValue] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "=") else {
                throw ValidationError("--param \(parameter.prefix(40)): expected NAME=JSON")
            }
            let name = String(parameter[..<equals])
            do {
                values[name] = try QueryJSON.value(fromJSON: String(parameter[parameter.index(after: equals)...]))
            } catch {
                throw ValidationError("--param \(name): not valid JSON")
            }
        }
        return values
    }

    func validate() throws {
        _ = try parsedParameters()
    }

    func run() async throws {
        let values = try parsedParameters()
        try await CommandRunner.runOnGraph("query", graph: graph) { database in
            let result = try await database.query(cypher, parameters: values, read: read)
            if json {
                for row in result.rows { print(QueryJSON.line(keys: result.keys, values: row)) }
            } else {
                print(QueryTable.render(keys: result.keys, rows: result.rows), terminator: "")
            }
            if result.counters.containsUpdates { printError(QueryTable.counters(result.counters)) }
            return .success
        }
    }
}

/// Parameters from JSON, records to JSON lines.
enum QueryJSON {
    static func value(fromJSON text: String) throws -> PackStreamValue {
        try JSONDecoder().decode(Parameter.self, from: Data(text.utf8)).value
    }

    /// A JSON value read into PackStream: whole numbers become integers, others floats.
    private struct Parameter: Decodable {
        var value: PackStreamValue

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .null
            } else if let bool = try? container.decode(Bool.self) {
                value = .boolean(bool)
            } else if let integer = try? container.decode(Int64.self) {
                value = .integer(integer)
            } else if let double = try? container.decode(Double.self) {
                value = .float(double)
            } else if let string = try? container.decode(String.self) {
                value = .string(string)
            } else if let list = try? container.decode([Parameter].self) {
                value = .list(list.map(\.value))
            } else {
                value = .map(try container.decode([String: Parameter].self).mapValues(\.value))
            }
        }
    }

    static func line(keys: [String], values: [PackStreamValue]) -> String {
        "{" + zip(keys, values).map { quote($0) + ":" + json($1) }.joined(separator: ",") + "}"
    }

    static func json(_ value: PackStreamValue) -> String {
        switch value {
        case .null: return "null"
        case .boolean(let value): return value ? "true" : "false"
        case .integer(let value): return String(value)
        case .float(let value): return value.isFinite ? String(value) : quote(String(value))
        case .string(let value): return quote(value)
        case .bytes(let value): return "[" + value.map(String.init).joined(separator: ",") + "]"
        case .list(let values): return "[" + values.map(json).joined(separator: ",") + "]"
        case .map(let entries): return object(entries)
        case .node(let node):
            var entries: [String: PackStreamValue] = ["labels": .list(node.labels.map(PackStreamValue.string)), "properties": .map(node.properties)]
            if let id = node.elementId { entries["element_id"] = .string(id) }
            return object(entries)
        case .relationship(let relationship):
            return object(["type": .string(relationship.type), "properties": .map(relationship.properties)])
        case .unboundRelationship(let relationship):
            return object(["type": .string(relationship.type), "properties": .map(relationship.properties)])
        default:
            return quote(value.description)
        }
    }

    private static func object(_ entries: [String: PackStreamValue]) -> String {
        "{" + entries.sorted { $0.key < $1.key }.map { quote($0.key) + ":" + json($0.value) }.joined(separator: ",") + "}"
    }

    static func quote(_ text: String) -> String {
        JSONText.quoted(text)
    }
}

/// The aligned table of `graphingest query`.
enum QueryTable {
    static func cell(_ value: PackStreamValue) -> String {
        if case .string(let text) = value { return text }
        return value.description
    }

    static func render(keys: [String], rows values: [[PackStreamValue]]) -> String {
        if keys.isEmpty { return "(no columns)\n" }
        let rows = values.map { $0.map(cell) }
        var widths = keys.map(\.count)
        for row in rows {
            for (index, text) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], text.count) }
        }
        func line(_ cells: [String]) -> String {
            zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: " | ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        var text = line(keys)
        text += widths.map { String(repeating: "-", count: $0) }.joined(separator: "-+-") + "\n"
        for row in rows { text += line(row) }
        text += "(\(rows.count) record\(rows.count == 1 ? "" : "s"))\n"
        return text
    }

    static func counters(_ counters: GraphUpdateCounters) -> String {
        let parts = [
            ("nodes created", counters.nodesCreated), ("nodes deleted", counters.nodesDeleted),
            ("relationships created", counters.relationshipsCreated), ("relationships deleted", counters.relationshipsDeleted),
            ("properties set", counters.propertiesSet), ("labels added", counters.labelsAdded),
        ].filter { $0.1 != 0 }
        return parts.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
    }
}
