import Communities
import Testing

/// The report's layout: igraph's Kamada-Kawai from a circle, scaled into the unit square.
@Suite struct CommunityLayoutTests {
    /// Two triangles joined by one edge, and a vertex alone.
    static let edges = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)].map { CommunityLayout.Edge(a: $0.0, b: $0.1, weight: 1) }

    @Test func theSameGraphGetsTheSamePositionsInTheUnitSquare() throws {
        let first = try CommunityLayout().positions(vertexCount: 7, edges: Self.edges)
        let second = try CommunityLayout().positions(vertexCount: 7, edges: Self.edges)
        #expect(first == second)
        #expect(first.count == 7)
        #expect(first.allSatisfy { (0...1).contains($0.x) && (0...1).contains($0.y) })
        #expect(first.map(\.x).min() == 0 && first.map(\.x).max() == 1)
    }

    @Test func aTriangleStaysTogether() throws {
        let points = try CommunityLayout().positions(vertexCount: 7, edges: Self.edges)
        func distance(_ a: Int, _ b: Int) -> Double {
            ((points[a].x - points[b].x) * (points[a].x - points[b].x) + (points[a].y - points[b].y) * (points[a].y - points[b].y)).squareRoot()
        }
        #expect(distance(0, 1) < distance(0, 5))
    }

    @Test func smallAndBadInputs() throws {
        #expect(try CommunityLayout().positions(vertexCount: 0, edges: []).isEmpty)
        #expect(try CommunityLayout().positions(vertexCount: 1, edges: []) == [CommunityLayout.Point(x: 0.5, y: 0.5)])
        #expect(throws: CommunityError.self) {
            try CommunityLayout().positions(vertexCount: 2, edges: [CommunityLayout.Edge(a: 0, b: 2, weight: 1)])
        }
        #expect(throws: CommunityError.self) {
            try CommunityLayout().positions(vertexCount: 2, edges: [CommunityLayout.Edge(a: 0, b: 1, weight: 0)])
        }
    }
}
