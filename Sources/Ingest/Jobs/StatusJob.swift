import Foundation
public import Kafka
public import Registry

/// `graphingest status`: what the registry says, read only.
public struct StatusJob: Sendable {
    public let registry: RegistryStore
    /// How many recent runs, and open dead letters, the report lists.
    public let runs: Int
    public let deadLetters: Int
    /// The brokers and group whose committed offsets to show beside `consume`'s lineage (nil:
    /// the registry alone).
    public let streamGroup: (brokers: String, group: String, properties: [KafkaProperty])?

    public init(registry: RegistryStore, runs: Int = 5, deadLetters: Int = 10,
                streamGroup: (brokers: String, group: String, properties: [KafkaProperty])? = nil) {
        self.registry = registry
        self.runs = runs
        self.deadLetters = deadLetters
        self.streamGroup = streamGroup
    }

    /// Reads the report.
    public func run() async throws -> StatusReport {
        try await registry.requireMigrated()
        let counts = try await registry.statusCounts()
        let totals = try await registry.totals()
        let lastRuns = try await registry.lastRuns(runs)
        let letters = try await registry.listDeadLetters(limit: deadLetters)
        let leased = try await registry.leasedDocuments(limit: 20)
        let workers = try await registry.recentWorkers(within: StatusReport.workerWindow)
        var report = StatusReport(
            documents: Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) }),
            entities: totals.entities, mentionRelationships: totals.mentionRelationships, mentions: totals.mentions,
            relations: totals.relations, pairs: totals.pairs, pendingRelations: totals.pendingRelations,
            minimumCooccurrence: totals.minimumCooccurrence,
            openDeadLetters: try await registry.openDeadLetterCount(),
            lastRuns: lastRuns.map { run in
                StatusReport.Run(id: run.id, command: run.command, startedAt: run.startedAt, finishedAt: run.finishedAt,
                                 figures: run.figures)
            },
            recentDeadLetters: letters.map {
                StatusReport.DeadLetter(id: $0.id, runID: $0.runID, source: $0.source, stage: $0.stage.rawValue, error: $0.error)
            },
            leased: leased.map { StatusReport.Leased(id: $0.id, source: $0.source, holder: $0.holder, leaseUntil: $0.leaseUntil) },
            workers: workers.map { worker in
                StatusReport.Worker(id: worker.id, host: worker.host, pid: worker.pid, command: worker.command, startedAt: worker.startedAt,
                                    seenAt: worker.seenAt, finishedAt: worker.finishedAt,
                                    running: worker.finishedAt == nil && worker.seenAt.addingTimeInterval(worker.leaseSeconds) > Date())
            })
        report.communities = try await registry.communityReportCounts()
        report.streams = try await streams()
        return report
    }

    /// `consume`'s lineage per topic partition, with the group's committed offsets when asked.
    private func streams() async throws -> [StatusReport.Stream] {
        var streams = try await registry.streamLineage().map {
            StatusReport.Stream(topic: $0.topic, partition: $0.partition, documents: $0.documents, highestOffset: $0.highestOffset)
        }
        guard let streamGroup else { return streams }
        for topic in Set(streams.map(\.topic)).sorted() {
            let consumer = try KafkaConsumer(brokers: streamGroup.brokers, group: streamGroup.group, topic: topic, properties: streamGroup.properties)
            let partitions = streams.filter { $0.topic == topic }.map(\.partition)
            let committed = try await consumer.committed(topic: topic, partitions: partitions)
            await consumer.close()
            for index in streams.indices where streams[index].topic == topic {
                streams[index].committedOffset = committed[streams[index].partition]
            }
        }
        return streams
    }
}
