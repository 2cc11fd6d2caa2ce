import ArgumentParser
import Bolt
import Foundation
import Ingest
import PackStream

/// `graphingest query CYPHER [--param NAME=JSON ...] [--read] [--json]`: one statement in a
/// managed transaction, printed as an aligned table or as JSON lines.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "query", abstract: "Run one Cypher statement in a managed transaction.")
    @Argument(help: "The Cypher statement.") var cypher: String
    @Option(name: .customLong("param"), help: "A parameter as NAME=JSON (repeatable).") var parameters: [String] = []
    @Flag(help: "Run as a read transaction (routed to a reader).") var read = false
    @Flag(help: "Print records as JSON lines.") var json = false
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let uri = connection.bolt ?? environment["GRAPHINGEST_BOLT_URI"], !uri.isEmpty else {
            printError("graphingest query: no server: pass --bolt URI or set GRAPHINGEST_BOLT_URI")
            throw ExitCode(IngestExitCode.usage.rawValue)
        }
        var values: [String: PackStreamParameter] = [:]
        for parameter in parameters {
            guard let equals = parameter.firstIndex(of: "=") else {
                printError("graphingest query: --param \(parameter.prefix(40)): expected NAME=JSON")
                throw ExitCode(IngestExitCode.usage.rawValue)
            }
            let name = String(parameter[..<equals])
            do {
                values[name] = .value(try QueryJSON.value(fromJSON: String(parameter[parameter.index(after: equals)...])))
            } catch {
                printError("graphingest query: --param \(name): not valid JSON")
                throw ExitCode(IngestExitCode.usage.rawValue)
            }
        }
        let user = connection.user ?? environment["GRAPHINGEST_BOLT_USER"]
        let password = environment["GRAPHINGEST_BOLT_PASSWORD"] ?? ""
        let database = connection.database ?? environment["GRAPHINGEST_DATABASE"]
        let configuration: BoltConfiguration
        do {
            configuration = try BoltConfiguration(
                uri: uri, auth: user.map { .basic(user: $0, password: password) } ?? .none,
                userAgent: "graphingest/\(GraphIngestVersion.current)")
        } catch let error as BoltError {
            printError("graphingest query: \(error)")
            throw ExitCode(IngestExitCode.usage.rawValue)
        }
        let client = BoltClient(configuration: configuration)
        do {
            let cypher = self.cypher
            let (keys, records, summary) = try await client.withSession(database: database?.isEmpty == false ? database : nil) { session in
                let work: (BoltTransaction) async throws -> ([String], [BoltRecord], BoltResultSummary) = { tx in
                    let result = try await tx.run(cypher, parameters: values)
                    let records = try await result.collect()
                    return (try await result.keys(), records, try await result.consume())
                }
                return read ? try await session.executeRead(work) : try await session.executeWrite(work)
            }
            await client.shutdown()
            if json {
                for record in records { print(QueryJSON.line(record)) }
            } else {
                print(QueryTable.render(keys: keys, records: records), terminator: "")
            }
            if summary.counters.containsUpdates { printError(QueryTable.counters(summary.counters)) }
        } catch let error as BoltError {
            await client.shutdown()
            switch error.code {
            case .connectionFailed, .timeout, .connectionClosed, .tls:
                printError("graphingest query: \(error)")
                throw ExitCode(IngestExitCode.serverUnreachable.rawValue)
            case .server, .authentication:
                printError("graphingest query: \(error.serverCode ?? "\(error.code)"): \(error.serverMessage ?? "") (server \(error.address ?? uri))")
                throw ExitCode(IngestExitCode.finishedWithProblems.rawValue)
            default:
                printError("graphingest query: \(error)")
                throw ExitCode(IngestExitCode.finishedWithProblems.rawValue)
            }
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

    static func line(_ record: BoltRecord) -> String {
        "{" + zip(record.keys, record.values).map { quote($0) + ":" + json($1) }.joined(separator: ",") + "}"
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
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// The aligned table of `graphingest query`.
enum QueryTable {
    static func cell(_ value: PackStreamValue) -> String {
        if case .string(let text) = value { return text }
        return value.description
    }

    static func render(keys: [String], records: [BoltRecord]) -> String {
        if keys.isEmpty { return "(no columns)\n" }
        let rows = records.map { $0.values.map(cell) }
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
        text += "(\(records.count) record\(records.count == 1 ? "" : "s"))\n"
        return text
    }

    static func counters(_ counters: BoltCounters) -> String {
        let parts = [
            ("nodes created", counters.nodesCreated), ("nodes deleted", counters.nodesDeleted),
            ("relationships created", counters.relationshipsCreated), ("relationships deleted", counters.relationshipsDeleted),
            ("properties set", counters.propertiesSet), ("labels added", counters.labelsAdded),
        ].filter { $0.1 != 0 }
        return parts.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
    }
}
