import Extraction
import Testing

/// Which chunk a mention belongs to (FROM_CHUNK), on hand-made cases and on every fixture
/// document extracted with chunks: each mention counts in exactly one chunk, so FROM_CHUNK
/// counts add up to MENTIONS, and each offset slices the mention's surface form from the chunk.
@Suite struct ChunkMentionsTests {
    @Test func eachMentionBelongsToTheChunkHoldingItsStart() {
        // Chunks [0, 10) [10, 20) [20, 25); entity 0 at 2 and 12, entity 1 at 18 (runs past 20).
        let assigned = ChunkMentions.assign(spans: [[2..<5, 12..<15], [18..<22]], to: [0..<10, 10..<20, 20..<25])
        #expect(assigned == [
            [ChunkEntityMentions(entity: 0, count: 1, offsets: [2])],
            [ChunkEntityMentions(entity: 0, count: 1, offsets: [2]), ChunkEntityMentions(entity: 1, count: 1, offsets: [8])],
            [],
        ])
    }

    @Test func withOverlapAMentionCountsOnceInTheChunkWhereItIsNew() {
        // The second chunk repeats [8, 10) of the first: a mention at 8 belongs to the first.
        let assigned = ChunkMentions.assign(spans: [[8..<9, 10..<11, 15..<16]], to: [0..<10, 8..<16])
        #expect(assigned == [
            [ChunkEntityMentions(entity: 0, count: 1, offsets: [8])],
            [ChunkEntityMentions(entity: 0, count: 2, offsets: [2, 7])],
        ])
    }

    @Test func noChunksNoMentions() {
        #expect(ChunkMentions.assign(spans: [[0..<1]], to: []).isEmpty)
    }

    @Test(arguments: TextChunkerTests.corpora)
    func fixtureMentionsSliceTheirSurfaceFromTheirChunkAndAddUp(corpus: String) throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.root + "/../demo/gazetteer.tsv")
        let rules = try RuleSet.load(path: Fixtures.root + "/../demo/rules.tsv")
        var checked = 0
        for (size, overlap) in [(60, 0), (200, 50), (1_500, 0)] {
            let extractor = try Extractor(gazetteer: gazetteer, rules: rules,
                                          options: ExtractionOptions(chunker: try TextChunker(size: size, overlap: overlap)))
            let session = try extractor.makeSession()
            for document in TextChunkerTests.documents(in: corpus) {
                let extracted = try session.extract(document)
                let text = Array(document.text.unicodeScalars)
                #expect(extracted.chunks == (try TextChunker(size: size, overlap: overlap).chunks(of: document.text)))
                let assigned = ChunkMentions.assign(spans: extracted.entities.map(\.spans), to: extracted.chunks.map(\.range))
                var counts = [Int](repeating: 0, count: extracted.entities.count)
                for (chunk, mentions) in zip(extracted.chunks, assigned) {
                    let chunkText = Array(chunk.text.unicodeScalars)
                    for mention in mentions {
                        counts[mention.entity] += mention.count
                        #expect(mention.offsets.count == mention.count)
                        let spans = extracted.entities[mention.entity].spans.filter { chunk.range.contains($0.lowerBound) }
                        for offset in mention.offsets {
                            let span = try #require(spans.first { $0.lowerBound == chunk.start + offset })
                            // The surface form, as far as the chunk holds it (a name the sentence
                            // iterator cut stays with the chunk it starts in).
                            let end = min(offset + span.count, chunkText.count)
                            #expect(String(String.UnicodeScalarView(chunkText[offset..<end]))
                                    == String(String.UnicodeScalarView(text[span.lowerBound..<min(span.upperBound, chunk.start + chunkText.count)])))
                            checked += 1
                        }
                    }
                }
                #expect(counts == extracted.entities.map(\.count), "FROM_CHUNK counts add up to MENTIONS in \(document.source)")
            }
        }
        #expect(checked > 50)
    }

    @Test func withoutAChunkerThereAreNoChunksAndTheFingerprintSaysSo() throws {
        let gazetteer = try Gazetteer(entries: [.init(id: "p", name: "Paris", type: "City")])
        let document = SourceDocument(source: "a.txt", text: "Paris. Paris again.")
        #expect(try Extractor(gazetteer: gazetteer).extract(document).chunks.isEmpty)
        let chunked = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(chunker: try TextChunker(size: 10))).extract(document)
        #expect(chunked.chunks.count >= 2 && chunked.chunks.map(\.text).joined() == document.text)
        #expect(try Extractor(gazetteer: gazetteer).fingerprint != (try Extractor(gazetteer: gazetteer, options: ExtractionOptions(chunker: try TextChunker(size: 10))).fingerprint))
    }
}
