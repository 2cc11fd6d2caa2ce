import Registry

extension RegistryStore {
    /// The registry schema must exist before a job runs.
    ///
    /// - Throws: ``IngestError`` `.configuration`, saying to run `graphingest init`.
    func requireMigrated() async throws {
        guard try await isMigrated() else {
            throw IngestError(.configuration, "the registry schema \(schema.name) does not exist: run graphingest init first")
        }
    }
}
