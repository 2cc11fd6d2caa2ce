import ArgumentParser
import Foundation
import Ingest
import Kafka
import Logging

struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce", abstract: "Send a JSONL file's records to a Kafka topic, one message per line keyed by its id.",
        discussion: """
        For trying `consume` and for its benchmark: each line becomes a message whose key is the \
        record's id (a line without one is sent without a key); --tombstone KEY sends a null value \
        for KEY after the file. --partitions N creates the topic first (a topic a first produce \
        creates has one partition).
        """)
    @Option(help: "Kafka brokers: HOST:PORT[,HOST:PORT...].") var brokers: String
    @Option(help: "The topic to write.") var topic: String
    @Option(help: "Create the topic with this many partitions first (kept as it is when it exists).") var partitions: Int?
    @Option(help: "The id field of the records.") var idField: String = "id"
    @Option(help: ArgumentHelp("Send a tombstone (a null value) for this key after the file (repeatable).", valueName: "key"))
    var tombstone: [String] = []
    @Option(help: ArgumentHelp("A librdkafka property, KEY=VALUE (repeatable).", valueName: "key=value"))
    var kafkaProperty: [KafkaPropertyArgument] = []
    @Argument(help: "A JSONL file, or - for stdin (nothing: only the tombstones).") var file: String?

    func validate() throws {
        if let partitions, partitions < 1 { throw ValidationError("--partitions must be at least 1") }
    }

    func run() async throws {
        do {
            let producer = try KafkaProducer(brokers: brokers, properties: kafkaProperty.map(\.property))
            if let partitions { try await createTopic(producer, partitions: partitions) }
            var sent = 0
            if let file {
                for line in try Self.lines(of: file) where !line.isEmpty {
                    let key = Self.id(of: line, field: idField)
                    try await producer.send(topic: topic, key: key.map { Array($0.utf8) }, value: line)
                    sent += 1
                }
            }
            for key in tombstone {
                try await producer.send(topic: topic, key: Array(key.utf8), value: nil)
                sent += 1
            }
            try await producer.flush(timeout: .seconds(120))
            await producer.close()
            printError("produce: \(sent) messages to \(topic)")
        } catch let error as KafkaError {
            let unreachable = error.code == .unreachable
            printError("graphingest produce: \(unreachable ? "Kafka brokers \(brokers) unreachable: " : "")\(error)", level: .error)
            throw ExitCode(FailureReport.exitCode(for: error).rawValue)
        }
    }

    private func createTopic(_ producer: KafkaProducer, partitions: Int) async throws {
        do {
            try await producer.createTopic(topic, partitions: partitions)
        } catch let error as KafkaError where error.code == .topicExists {
            printError("produce: topic \(topic) exists; its partitions stay as they are")
        }
    }

    /// The record's id as text (a string as it is, a number as JSON writes it), if it has one.
    static func id(of line: [UInt8], field: String) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else { return nil }
        switch object[field] {
        case let text as String: return text.isEmpty ? nil : text
        case let number as NSNumber: return number.stringValue
        default: return nil
        }
    }

    /// The file's lines as bytes (a trailing carriage return dropped), read whole.
    static func lines(of path: String) throws -> [[UInt8]] {
        let data = path == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: path))
        return data.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            Array(line.last == 0x0D ? line.dropLast() : line)
        }
    }
}
