extension ThrowingTaskGroup where ChildTaskResult == Void, Failure == any Error {
    /// Adds a pipeline stage: when it fails, every queue of the run is cancelled so the other
    /// stages end too (they would otherwise wait forever on a stage that stopped), then the error
    /// propagates out of the group.
    mutating func addStage(_ queues: PipelineQueues, _ body: @escaping @Sendable () async throws -> Void) {
        addTask {
            do {
                try await body()
            } catch {
                queues.cancelAll()
                throw error
            }
        }
    }
}
