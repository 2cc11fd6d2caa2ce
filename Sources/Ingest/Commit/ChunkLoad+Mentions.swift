import Extraction

extension ChunkLoad {
    /// A chunk as the extractor cut it, with no mentions yet (``assigningMentions(_:spans:)``).
    init(_ chunk: TextChunk) {
        self.init(index: chunk.index, start: chunk.start, end: chunk.end, text: chunk.text, sha256: chunk.sha256, mentions: [])
    }

    /// A document's chunks, each given the mentions that belong to it (``ChunkMentions``): the
    /// one rule for `ingest`, which has the extractor's chunks, and `load`, which has chunk lines.
    ///
    /// - Parameters:
    ///   - chunks: the document's chunks in index order.
    ///   - spans: each entity's mentions (in the order of the document's mentions), sorted, as
    ///     [start, end) in Unicode scalars of the document text.
    static func assigningMentions(_ chunks: [ChunkLoad], spans: [[Range<Int>]]) -> [ChunkLoad] {
        guard !chunks.isEmpty else { return [] }
        let assigned = ChunkMentions.assign(spans: spans, to: chunks.map { $0.start..<$0.end })
        return zip(chunks, assigned).map { chunk, mentions in
            var chunk = chunk
            chunk.mentions = mentions
            return chunk
        }
    }
}
