import ArgumentParser
import Foundation
import Ingest

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Documents per status, last runs, dead letters.")
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "How many recent runs to show.") var runs: Int = 5
    @Flag(help: "Print the report as JSON on stdout.") var json = false
    @Option(help: "Kafka brokers: also show the committed offsets of --group for the topics consume loaded from.") var brokers: String?
    @Option(help: "The consumer group whose offsets --brokers shows.") var group: String = "graphingest"
    @Option(help: ArgumentHelp("A librdkafka property for --brokers, KEY=VALUE (repeatable).", valueName: "key=value"))
    var kafkaProperty: [KafkaPropertyArgument] = []

    func run() async throws {
        try await CommandRunner.run("status", connection: connection) { servers in
            let report = try await StatusJob(registry: servers.registry, runs: runs,
                                             streamGroup: brokers.map { ($0, group, kafkaProperty.map(\.property)) }).run()
            if json {
                JSONOutput.print(report)
            } else {
                for line in report.lines { print(line) }
            }
            return .success
        }
    }
}
