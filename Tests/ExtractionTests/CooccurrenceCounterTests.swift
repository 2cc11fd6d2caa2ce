import Extraction
import Testing

/// Co-occurrence counting: a pair counts once per window that holds both, a window over the cap
/// adds nothing, and sentence windows are ICU's sentences of the document.
@Suite struct CooccurrenceCounterTests {
    @Test func aPairCountsOncePerWindowHoweverOftenItIsNamed() {
        var counter = CooccurrenceCounter(maximumEntitiesPerWindow: nil)
        // Windows [0, 10) [10, 20) [20, 30): entity 0 twice and 1 once in the first; 0, 1, 2 in
        // the second; 2 alone in the third.
        let (pairs, figures) = counter.count(spans: [[1..<2, 3..<4, 11..<12], [5..<6, 12..<13], [15..<16, 25..<26]],
                                             windows: [0..<10, 10..<20, 20..<30])
        #expect(pairs == [EntityPairCount(a: 0, b: 1, count: 2), EntityPairCount(a: 0, b: 2, count: 1), EntityPairCount(a: 1, b: 2, count: 1)])
        #expect(figures.windows == 3)
        #expect(figures.windowsWithPairs == 2)
        #expect(figures.pairsCounted == 4)
        #expect(figures.windowsOverCap == 0)
    }

    @Test func aWindowOverTheCapAddsNoPairsAndIsCounted() {
        var counter = CooccurrenceCounter(maximumEntitiesPerWindow: 3)
        // Four distinct entities in the first window (one of them twice), two in the second.
        let windows = [[0, 1, 2, 3, 3], [0, 1, 1]].enumerated().map { window, entities in
            entities.enumerated().map { WindowMention(entity: $1, span: (window * 100 + $0 * 10)..<(window * 100 + $0 * 10 + 5)) }
        }
        let (pairs, figures) = counter.count(windowMentions: windows, entityCount: 4)
        #expect(pairs == [EntityPairCount(a: 0, b: 1, count: 1)])
        #expect(figures.windowsOverCap == 1)
        #expect(figures.windowsWithPairs == 1)
        // Exactly at the cap still counts.
        var atCap = CooccurrenceCounter(maximumEntitiesPerWindow: 4)
        #expect(atCap.count(windowMentions: windows, entityCount: 4).pairs.count == 6)
    }

    /// Entities found at one span are readings of one ambiguous name: they do not pair with each
    /// other unless the window names them at different spans too; each pairs with the others.
    @Test func readingsOfOneMentionDoNotPairWithEachOther() {
        var counter = CooccurrenceCounter(maximumEntitiesPerWindow: nil)
        // Window [0, 20): entities 0 and 1 both at 1..<6, entity 2 at 10..<15.
        // Window [20, 40): 0 and 1 both at 21..<26, and 0 again at 30..<35.
        // Window [40, 60): 0 and 1 both at 41..<46 only.
        let (pairs, figures) = counter.count(spans: [[1..<6, 21..<26, 30..<35, 41..<46], [1..<6, 21..<26, 41..<46], [10..<15]],
                                             windows: [0..<20, 20..<40, 40..<60])
        #expect(pairs == [EntityPairCount(a: 0, b: 1, count: 1), EntityPairCount(a: 0, b: 2, count: 1), EntityPairCount(a: 1, b: 2, count: 1)])
        #expect(figures.windowsWithPairs == 2)
        #expect(figures.pairsCounted == 3)
    }

    @Test func anAmbiguousNameDoesNotPairItsReadings() throws {
        let gazetteer = try Gazetteer(entries: [
            .init(id: "geo:1", name: "Paris", type: "City"), .init(id: "geo:2", name: "Paris", type: "City"),
            .init(id: "geo:3", name: "Berlin", type: "City"),
        ])
        let extractor = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(cooccurrence: CooccurrenceOptions()))
        let extracted = try extractor.extract(SourceDocument(source: "s.txt", text: "Paris and Berlin. Paris or Paris?"))
        let ids = extracted.entities.map(\.key)
        let pairs = Dictionary(uniqueKeysWithValues: extracted.pairs.map { ([ids[$0.a], ids[$0.b]].sorted().joined(separator: "~"), $0.count) })
        // Both readings pair with Berlin; with each other only in the sentence naming Paris twice.
        #expect(pairs == ["geo:1~geo:3": 1, "geo:2~geo:3": 1, "geo:1~geo:2": 1])
    }

    @Test func chunkOwnPartsTileTheTextAsAssignDoes() {
        // Chunks with an overlap ([0, 50) and [40, 90)) and a gap before the last ([95, 120)).
        let chunks = [0..<50, 40..<90, 95..<120]
        let parts = ChunkMentions.ownParts(of: chunks)
        #expect(parts == [0..<50, 50..<95, 95..<120])
        let spans = [[3..<5], [45..<48], [92..<93], [119..<125]]
        let assigned = ChunkMentions.assign(spans: spans, to: chunks).map { $0.map(\.entity) }
        #expect(assigned == [[0, 1], [2], [3]])
    }

    @Test func sentencesAreTheWindowsByDefault() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.root + "/../demo/gazetteer.tsv")
        for chunker in [nil, try TextChunker(size: 20)] {
            let extractor = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(chunker: chunker, cooccurrence: CooccurrenceOptions()))
            let text = "Paris and Berlin. Berlin, London and Rome! Paris again, and Paris."
            let extracted = try extractor.extract(SourceDocument(source: "s.txt", text: text))
            let keys = extracted.entities.map(\.name)
            var counts: [String: Int] = [:]
            for pair in extracted.pairs { counts[[keys[pair.a], keys[pair.b]].sorted().joined(separator: "~")] = pair.count }
            #expect(counts == ["Berlin~Paris": 1, "Berlin~London": 1, "Berlin~Rome": 1, "London~Rome": 1], "chunker \(String(describing: chunker))")
            #expect(extracted.cooccurrence.windows == 3)
            #expect(extracted.cooccurrence.windowsWithPairs == 2)
        }
    }

    @Test func chunkWindowsCountEachChunkOnceAndNeedChunks() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.root + "/../demo/gazetteer.tsv")
        let options = ExtractionOptions(chunker: try TextChunker(size: 1_500), cooccurrence: CooccurrenceOptions(window: .chunk))
        let extracted = try Extractor(gazetteer: gazetteer, options: options)
            .extract(SourceDocument(source: "s.txt", text: "Paris and Berlin. Berlin, London and Rome! Paris again."))
        // One chunk holds all four: six pairs, each once.
        #expect(extracted.pairs.count == 6 && extracted.pairs.allSatisfy { $0.count == 1 })
        #expect(throws: ExtractionError.self) {
            try Extractor(gazetteer: gazetteer, options: ExtractionOptions(cooccurrence: CooccurrenceOptions(window: .chunk)))
        }
    }

    @Test func noCooccurrenceNoPairsAndItChangesTheFingerprint() throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.root + "/../demo/gazetteer.tsv")
        let without = try Extractor(gazetteer: gazetteer)
        let with = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(cooccurrence: CooccurrenceOptions()))
        let capped = try Extractor(gazetteer: gazetteer, options: ExtractionOptions(cooccurrence: CooccurrenceOptions(maximumEntitiesPerWindow: 3)))
        #expect(try without.extract(SourceDocument(source: "s.txt", text: "Paris and Berlin.")).pairs.isEmpty)
        #expect(Set([without.fingerprint, with.fingerprint, capped.fingerprint]).count == 3)
    }

    /// With chunks, the sentences come from the chunker's own pass over the text (long ones
    /// joined back where it cut them): the pairs are those of a separate sentence pass.
    @Test(arguments: TextChunkerTests.corpora)
    func sentencesFromTheChunkerGiveThePairsOfASentencePass(corpus: String) throws {
        let gazetteer = try Gazetteer.load(path: Fixtures.root + "/../demo/gazetteer.tsv")
        let rules = try RuleSet.load(path: Fixtures.root + "/../demo/rules.tsv")
        let alone = try Extractor(gazetteer: gazetteer, rules: rules, options: ExtractionOptions(cooccurrence: CooccurrenceOptions())).makeSession()
        var compared = 0
        for size in [20, 60, 1_500] {
            let chunked = try Extractor(gazetteer: gazetteer, rules: rules,
                                        options: ExtractionOptions(chunker: try TextChunker(size: size), cooccurrence: CooccurrenceOptions())).makeSession()
            for document in TextChunkerTests.documents(in: corpus) {
                let expected = try alone.extract(document)
                let actual = try chunked.extract(document)
                #expect(actual.pairs == expected.pairs, "\(document.source) at chunk size \(size)")
                #expect(actual.cooccurrence == expected.cooccurrence, "\(document.source) at chunk size \(size)")
                compared += expected.pairs.count
            }
        }
        #expect(compared > 10)
    }
}
