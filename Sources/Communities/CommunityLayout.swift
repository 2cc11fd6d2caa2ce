/// Positions for drawing a small weighted, undirected graph (the report's co-occurrence network):
/// igraph's Kamada-Kawai from a circle in vertex order, for a fixed number of iterations and with
/// no random number, so the same graph always gets the same picture. (Fruchterman-Reingold, tried
/// first, pushed the vertices without an edge to the rim and squeezed the rest into a knot;
/// Kamada-Kawai keeps them at a set distance.)
///
/// Vertices are numbered by the caller (the report numbers them in entity-key order); the result
/// is scaled into the unit square, each axis on its own, so the caller only multiplies by its
/// canvas.
public struct CommunityLayout: Sendable {
    /// One vertex's position, each coordinate in 0...1.
    public struct Point: Sendable, Hashable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// One edge between vertices `a` and `b` (numbers below the vertex count), with a weight > 0:
    /// the edge's length is drawn as 1 / weight.
    public struct Edge: Sendable, Hashable {
        public var a: Int
        public var b: Int
        public var weight: Double

        public init(a: Int, b: Int, weight: Double) {
            self.a = a
            self.b = b
            self.weight = weight
        }
    }

    /// Iterations per vertex (igraph's default: 50): at most `iterationsPerVertex x vertexCount`.
    public var iterationsPerVertex: Int

    /// - Parameter iterationsPerVertex: at least 1.
    public init(iterationsPerVertex: Int = 50) {
        self.iterationsPerVertex = max(1, iterationsPerVertex)
    }

    /// The positions of vertices `0..<vertexCount`, in vertex order.
    ///
    /// - Throws: `CommunityError.invalidEdge` for an edge naming a vertex out of range or with a
    ///   weight that is not positive; `CommunityError.igraph` when igraph fails.
    public func positions(vertexCount: Int, edges: [Edge]) throws -> [Point] {
        guard vertexCount > 0 else { return [] }
        guard vertexCount > 1 else { return [Point(x: 0.5, y: 0.5)] }
        for edge in edges where !(0..<vertexCount).contains(edge.a) || !(0..<vertexCount).contains(edge.b) || !(edge.weight > 0) {
            throw CommunityError(.invalidEdge, message: "layout edge \(edge.a)-\(edge.b) (weight \(edge.weight)) is out of range")
        }
        let input = IGraph.Input(vertexCount: vertexCount, endpoints: edges.flatMap { [Int64($0.a), Int64($0.b)] },
                                 weights: edges.map(\.weight))
        let raw = try IGraph.layout(input, iterations: iterationsPerVertex * vertexCount)
        return Self.normalized(stride(from: 0, to: raw.count, by: 2).map { Point(x: raw[$0], y: raw[$0 + 1]) })
    }

    /// Scales each axis into 0...1 (an axis with no extent goes to its middle).
    static func normalized(_ points: [Point]) -> [Point] {
        func scale(_ values: [Double]) -> [Double] {
            guard let low = values.min(), let high = values.max(), high > low else { return values.map { _ in 0.5 } }
            return values.map { ($0 - low) / (high - low) }
        }
        let xs = scale(points.map(\.x))
        let ys = scale(points.map(\.y))
        return zip(xs, ys).map { Point(x: $0, y: $1) }
    }
}
