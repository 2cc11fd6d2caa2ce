import Extraction
import Foundation
import Registry

/// The producer of `consume`: one round's documents, decoded from stream messages already, are
/// claimed and extracted on all cores, as ``CorpusProducer`` does with a corpus's.
///
/// A round holds each source once (the latest message of its key), so nothing needs planning:
/// the claim itself tells what is unchanged. Documents another worker holds (a consumer that had
/// the partition before a rebalance) are waited for and claimed again.
package struct StreamDocumentsProducer: DocumentProducer {
    let documents: [SourceDocument]
    let extractor: Extractor
    let configuration: PipelineConfiguration
    let worker: QueueWorker

    package init(documents: [SourceDocument], extractor: Extractor, configuration: PipelineConfiguration, worker: QueueWorker) {
        self.documents = documents
        self.extractor = extractor
        self.configuration = configuration
        self.worker = worker
    }

    /// A decoded message's document; it has no file.
    struct StreamDocument: ExtractableDocument {
        var document: SourceDocument
        /// Its place in the round, to find it again when another worker held it.
        var index: Int
        var fileSize: Int64? { nil }
        var fileModified: Date? { nil }
        var registration: DocumentRegistration {
            DocumentRegistration(source: document.source, sha256: document.sha256, bytes: Int64(document.bytes), charset: document.charset)
        }
    }

    package func produce(into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        context.tally.read(documents.count)
        let groups = context.queues.make([StreamDocument].self, capacity: 8)
        let retries = context.queues.make([StreamDocument].self, capacity: 2)
        let mainPassDone = context.queues.make(Bool.self, capacity: 1)
        let workers = min(configuration.extractionWorkers, max(1, documents.count / CorpusProducer.groupSize + 1))
        let sessions = try (0..<workers).map { _ in try SessionBox(extractor.makeSession()) }
        let setAside = SetAsideDocuments<Int>()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addStage(context.queues) {
                let all = documents.enumerated().map { StreamDocument(document: $0.element, index: $0.offset) }
                var start = 0
                while start < all.count {
                    let end = min(all.count, start + CorpusProducer.groupSize)
                    await groups.send(Array(all[start..<end]))
                    start = end
                }
                groups.finish()
            }
            let mainPassLeft = Countdown(workers) { mainPassDone.finish() }
            let extractorsLeft = Countdown(workers) { output.finish() }
            for session in sessions {
                group.addStage(context.queues) {
                    defer { extractorsLeft.done() }
                    while let group = await groups.next() { try await extract(group, session: session, setAside: setAside, into: output, context: context) }
                    mainPassLeft.done()
                    while let group = await retries.next() {
                        defer { setAside.retried() }
                        try await extract(group, session: session, setAside: setAside, into: output, context: context)
                    }
                }
            }
            group.addStage(context.queues) {
                while await mainPassDone.next() != nil {}
                try await worker.waitForOthers(setAside, context: context, idle: { await output.send([]) }) { free in
                    setAside.sending()
                    await retries.send(free.map { StreamDocument(document: documents[$0.payload], index: $0.payload) })
                }
                retries.finish()
            }
            try await group.waitForAll()
        }
    }

    private func extract(_ group: [StreamDocument], session: SessionBox, setAside: SetAsideDocuments<Int>,
                         into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        try await worker.claimAndExtract(group, fingerprint: extractor.fingerprint, session: session, setAside: setAside, payload: \.index,
                                         hold: configuration.faults.holdAfterClaim, into: output, context: context)
    }
}
