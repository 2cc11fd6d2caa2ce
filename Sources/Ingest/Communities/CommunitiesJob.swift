public import Communities
public import GraphStore
public import Registry

/// `graphingest communities`: the community step alone, at the edge threshold in force.
public struct CommunitiesJob: Sendable {
    public let registry: RegistryStore
    public let database: GraphDatabase
    public let options: CommunityOptions

    public init(registry: RegistryStore, database: GraphDatabase, options: CommunityOptions) {
        self.registry = registry
        self.database = database
        self.options = options
    }

    /// Computes and writes what changed.
    public func run() async throws -> CommunitySummary {
        try await registry.requireMigrated()
        let threshold = try await registry.cooccurrenceThreshold() ?? PipelineConfiguration.defaultMinimumCooccurrence
        return try await CommunityStep(registry: registry, database: database, options: options, minimumCount: threshold).run()
    }
}
