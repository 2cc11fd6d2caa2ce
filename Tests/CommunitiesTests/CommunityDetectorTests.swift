import Testing
@testable import Communities

@Suite struct CommunityDetectorTests {
    let detector = CommunityDetector()

    @Test func emptyInputGivesAnEmptyHierarchy() throws {
        let hierarchy = try detector.detect([])
        #expect(hierarchy.isEmpty)
        #expect(hierarchy.levels.isEmpty)
        #expect(hierarchy.optionsFingerprint == CommunityOptions.standard.fingerprint)
    }

    @Test func twoCliquesJoinedByOneEdgeAreTwoCommunities() throws {
        let left = TestGraphs.keys("left", 5)
        let right = TestGraphs.keys("right", 5)
        let edges = TestGraphs.clique(left) + TestGraphs.clique(right)
            + [CommunityEdge(source: left[0], target: right[0], weight: 1)]
        let hierarchy = try detector.detect(edges)
        #expect(hierarchy.levels.count == 1)
        #expect(hierarchy.levels[0].communities.map(\.members) == [left, right])
        #expect(hierarchy.levels[0].communities.map(\.internalWeight) == [30, 30])
        #expect(hierarchy.levels[0].modularity > 0.4)
        expectWellFormed(hierarchy, edges: edges, options: detector.options)
    }

    @Test func aRingOfCliquesIsOneCommunityPerClique() throws {
        let ring = TestGraphs.ringOfCliques(count: 8, size: 5)
        let hierarchy = try detector.detect(ring.edges)
        #expect(hierarchy.levels.count == 1)
        let found = Set(hierarchy.levels[0].communities.map(\.members))
        #expect(found == Set(ring.cliques))
        expectWellFormed(hierarchy, edges: ring.edges, options: detector.options)
    }

    @Test func theSameEdgesInAnyOrderAndOrientationGiveTheSameHierarchy() throws {
        let edges = TestGraphs.planted(blocks: 6, blockSize: 40, edges: 1500, inside: 0.8, seed: 7)
        let expected = try detector.detect(edges)
        for seed in UInt64(1)...4 {
            #expect(try detector.detect(TestGraphs.scrambled(edges, seed: seed)) == expected)
        }
    }

    @Test func concurrentCallsGiveTheSameHierarchy() async throws {
        let edges = TestGraphs.planted(blocks: 4, blockSize: 30, edges: 600, inside: 0.8, seed: 11)
        let detector = detector
        let expected = try detector.detect(edges)
        try await withThrowingTaskGroup(of: CommunityHierarchy.self) { group in
            for seed in UInt64(1)...4 {
                group.addTask { try detector.detect(TestGraphs.scrambled(edges, seed: seed)) }
            }
            for try await hierarchy in group { #expect(hierarchy == expected) }
        }
    }

    @Test func aCommunityOverTheMaximumSizeIsSplitOnTheLevelBelow() throws {
        let options = try CommunityOptions(maxCommunitySize: 10)
        let edges = TestGraphs.planted(blocks: 3, blockSize: 60, edges: 1200, inside: 0.9, seed: 3)
        let hierarchy = try CommunityDetector(options: options).detect(edges)
        #expect(hierarchy.levels.count >= 2)
        let top = try #require(hierarchy.levels.last)
        #expect(top.communities.contains { $0.size > options.maxCommunitySize })
        // Only a community over the size has children that differ from it.
        for level in hierarchy.levels.dropLast() {
            let above = Dictionary(uniqueKeysWithValues: hierarchy.levels[level.level + 1].communities.map { ($0.id, $0) })
            for community in level.communities {
                let parent = try #require(community.parentID.flatMap { above[$0] })
                if parent.members != community.members { #expect(parent.size > options.maxCommunitySize) }
            }
        }
        expectWellFormed(hierarchy, edges: edges, options: options)
    }

    @Test func theDepthStopsAtMaxLevels() throws {
        let edges = TestGraphs.planted(blocks: 3, blockSize: 60, edges: 1200, inside: 0.9, seed: 3)
        for maxLevels in 1...2 {
            let options = try CommunityOptions(maxCommunitySize: 2, maxLevels: maxLevels)
            let hierarchy = try CommunityDetector(options: options).detect(edges)
            #expect(hierarchy.levels.count == maxLevels)
            expectWellFormed(hierarchy, edges: edges, options: options)
        }
    }

    @Test func communitiesKeepTheirIdsWhenAnUnrelatedPartOfTheGraphChanges() throws {
        let options = try CommunityOptions(maxCommunitySize: 10)
        let detector = CommunityDetector(options: options)
        let edges = TestGraphs.planted(blocks: 3, blockSize: 60, edges: 1200, inside: 0.9, seed: 3)
            + TestGraphs.ringOfCliques(count: 4, size: 4).edges
        let before = try detector.detect(edges)
        // Keys that sort before every other, so every vertex number changes.
        let after = try detector.detect(edges + [CommunityEdge(source: "0:new-b", target: "0:new-a", weight: 2)])
        #expect(after.levels.count == before.levels.count)
        for (old, new) in zip(before.levels, after.levels) {
            let newIDs = Set(new.communities.map(\.id))
            #expect(old.communities.allSatisfy { newIDs.contains($0.id) })
            #expect(new.communities.count == old.communities.count + 1)
        }
        let added = try #require(after.levels[0].communities.first)
        #expect(added.members == ["0:new-a", "0:new-b"])
        #expect(added.id == Community.id(level: 0, members: ["0:new-a", "0:new-b"]))
    }

    @Test func aCommunityNotSplitAgainKeepsItsHashOnFinerLevels() throws {
        let options = try CommunityOptions(maxCommunitySize: 10)
        let edges = TestGraphs.planted(blocks: 3, blockSize: 60, edges: 1200, inside: 0.9, seed: 3)
            + TestGraphs.clique(TestGraphs.keys("small", 4))
        let hierarchy = try CommunityDetector(options: options).detect(edges)
        let small = TestGraphs.keys("small", 4)
        let ids = hierarchy.levels.map { level in level.communities.first { $0.members == small }?.id }
        let hash = String(Community.id(level: 0, members: small).dropFirst(2))
        #expect(ids == hierarchy.levels.indices.map { "\($0)-\(hash)" })
    }

    @Test func aLargeRandomGraphHasPositiveModularityOnEveryLevel() throws {
        let edges = TestGraphs.planted(blocks: 40, blockSize: 50, edges: 4000, inside: 0.7, seed: 2024)
        let hierarchy = try detector.detect(edges)
        #expect(!hierarchy.levels.isEmpty)
        for level in hierarchy.levels { #expect(level.modularity > 0) }
        expectWellFormed(hierarchy, edges: edges, options: detector.options)
    }
}
