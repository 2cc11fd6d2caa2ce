import Extraction
import GraphStore

/// The producer of `load`: parses interchange JSONL (from `extract`, or any other extractor)
/// into documents.
///
/// Every line is validated; a bad line becomes a dead letter naming its line number, and the rest
/// loads. A document is held in a window of recent documents until the window is full (the
/// commit bounds), so the mention and chunk lines that follow its document line, as `extract`
/// writes them, join it; such a line that arrives after its document left the window is a bad
/// line. A bad chunk line fails its whole document while the document is in the window, so it
/// does not land with chunks missing (a chunk line too late for its document is a bad line). A
/// source that appears twice is caught in the window, or by the committer through the registry
/// (which remembers the run that loaded each source), so no set of every source is kept.
package struct InterchangeProducer: DocumentProducer {
    /// What the producer reads.
    package enum Input: Sendable {
        /// A file path, or "-" for standard input.
        case path(String)
        /// Bytes in memory, with a name for messages (tests).
        case bytes([UInt8], name: String)
    }

    let input: Input
    let window: CommitStage.Bounds
    /// The length embeddings must have; the run's first embedding sets it when no index did.
    let embeddings: ChunkEmbeddingDimensions

    package init(input: Input, window: CommitStage.Bounds, embeddings: ChunkEmbeddingDimensions = ChunkEmbeddingDimensions(index: nil)) {
        self.input = input
        self.window = window
        self.embeddings = embeddings
    }

    /// The name lines are reported under.
    var name: String {
        switch input {
        case .path(let path): return path
        case .bytes(_, let name): return name
        }
    }

    package func produce(into output: BoundedQueue<[DocumentLoad]>, context: PipelineContext) async throws {
        var reader: InterchangeReader
        switch input {
        case .path(let path): reader = try InterchangeReader(path: path)
        case .bytes(let bytes, let name): reader = InterchangeReader(bytes: bytes, name: name)
        }
        reader.checksReferences = false  // resolved below, with a message that says what is missing
        defer { reader.close() }
        var parser = InterchangeAssembler(ledger: context.ledger, window: window, name: name, embeddings: embeddings)
        while true {
            let record: InterchangeRecord?
            do {
                record = try reader.next()
            } catch {
                let failure = error.documentSource.flatMap { parser.failDocument($0, line: reader.line, error.message) }
                    ?? parser.failure(line: reader.line, error.description)
                try await context.deadLetters.record([failure])
                if error.code == .unreadable { break }
                continue
            }
            guard let record else { break }
            if let failure = parser.add(record, line: reader.line) {
                try await context.deadLetters.record([failure])
            }
            if let documents = parser.takeReady() {
                context.tally.read(documents.count)
                await output.send(documents)
            }
        }
        let documents = parser.takeWindow()
        context.tally.read(documents.count)
        if !documents.isEmpty { await output.send(documents) }
    }
}
