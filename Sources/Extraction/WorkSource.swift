import Synchronization

/// The units of work of `CorpusExtraction`, numbered in file and record order: a plain file, or
/// the next batch of records of the JSONL or CSV file being read.
final class WorkSource: Sendable {
    /// One unit of work.
    struct Unit: Sendable {
        /// Its place in the output.
        var sequence: Int
        var file: CorpusReader.SourceFile
        /// The batch of the file's records (0 for a plain file).
        var batch: Int
        /// The records read, or nil for a plain file that the worker reads itself (so that
        /// plain files are read in parallel).
        var items: [CorpusReader.Item]?
    }

    private struct State {
        var nextFile = 0
        var nextSequence = 0
        /// The container file being read, and its next batch.
        var stream: (file: CorpusReader.SourceFile, records: RecordStream, batch: Int)?
    }

    private let files: [CorpusReader.SourceFile]
    private let options: CorpusReader.Options
    private let state = Mutex(State())

    init(files: [CorpusReader.SourceFile], reader: CorpusReader) {
        self.files = files
        options = reader.options
    }

    /// The next unit, or nil when every file is done. Reads a batch of records under the lock:
    /// a file's records are read in order, by one worker at a time.
    func next() -> Unit? {
        state.withLock { state -> Unit? in
            while true {
                if let (file, records, batch) = state.stream {
                    if let items = records.next(maxItems: CorpusExtraction.unitItems, maxBytes: CorpusExtraction.unitBytes) {
                        state.stream?.batch += 1
                        state.nextSequence += 1
                        return Unit(sequence: state.nextSequence - 1, file: file, batch: batch, items: items)
                    }
                    state.stream = nil
                }
                guard state.nextFile < files.count else { return nil }
                let file = files[state.nextFile]
                state.nextFile += 1
                switch file.format {
                case .jsonl, .csv:
                    state.stream = (file, RecordStream(file: file, options: options), 0)
                case .text, .markdown, .html:
                    state.nextSequence += 1
                    return Unit(sequence: state.nextSequence - 1, file: file, batch: 0, items: nil)
                }
            }
        }
    }
}
