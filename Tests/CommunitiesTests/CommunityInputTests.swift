import Testing
@testable import Communities

@Suite struct CommunityInputTests {
    @Test func theDefaultsAndTheirFingerprint() throws {
        let options = CommunityOptions.standard
        #expect(options.resolution == 1.0)
        #expect(options.maxCommunitySize == 10)
        #expect(options.seed == 0xDEAD_BEEF)
        #expect(options.maxLevels == 5)
        #expect(options.iterations == 10)
        #expect(options.fingerprint == "leiden-1;resolution=1.0;max-size=10;seed=3735928559;levels=5;iterations=10;beta=0.01")
        #expect(try CommunityOptions(resolution: 0.5, seed: 42).fingerprint.hasPrefix("leiden-1;resolution=0.5;max-size=10;seed=42;"))
    }

    @Test(arguments: [
        (0.0, 10, 5, 10), (-1.0, 10, 5, 10), (Double.nan, 10, 5, 10), (Double.infinity, 10, 5, 10),
        (1.0, 1, 5, 10), (1.0, 10, 0, 10), (1.0, 10, 5, 0), (1.0, 10, 5, -1),
    ])
    func optionsOutOfRangeAreRefused(resolution: Double, maxSize: Int, maxLevels: Int, iterations: Int) {
        #expect {
            try CommunityOptions(resolution: resolution, maxCommunitySize: maxSize, maxLevels: maxLevels, iterations: iterations)
        } throws: { ($0 as? CommunityError)?.code == .invalidOption }
    }

    @Test(arguments: [
        [CommunityEdge(source: "a", target: "b", weight: 0)],
        [CommunityEdge(source: "a", target: "a", weight: 1)],
        [CommunityEdge(source: "a", target: "b", weight: 1), CommunityEdge(source: "b", target: "a", weight: 1)],
        [CommunityEdge(source: "a\nb", target: "c", weight: 1)],
        [CommunityEdge(source: "caf\u{E9}", target: "x", weight: 1), CommunityEdge(source: "cafe\u{301}", target: "y", weight: 1)],
    ])
    func edgesTheGraphCannotTakeAreRefused(edges: [CommunityEdge]) {
        #expect {
            try CommunityDetector().detect(edges)
        } throws: { ($0 as? CommunityError)?.code == .invalidEdge }
    }

    @Test func keysAreOrderedByUnicodeScalars() throws {
        let graph = try CommunityGraph([
            CommunityEdge(source: "\u{E9}", target: "Z", weight: 1),
            CommunityEdge(source: "a", target: "e\u{301}x", weight: 1),
        ])
        #expect(graph.keys == ["Z", "a", "e\u{301}x", "\u{E9}"])
        #expect(graph.edges == [IndexedEdge(a: 0, b: 3, weight: 1), IndexedEdge(a: 1, b: 2, weight: 1)])
    }
}
