/// The settings of hierarchical Leiden: what the partition optimises and how deep it recurses.
///
/// They are part of a community's fingerprint (`fingerprint`): communities computed under other
/// options are other communities.
public struct CommunityOptions: Hashable, Sendable {
    /// The modularity resolution γ: above 1, smaller communities; below 1, larger ones.
    public let resolution: Double
    /// A community with more members than this is clustered again on the next level down.
    ///
    /// The default, 10, is Microsoft GraphRAG's `max_cluster_size`: a community is summarised
    /// by an LLM from its members and their relationships, and ten entities keep that context
    /// small while a community still says more than a single edge does.
    public let maxCommunitySize: Int
    /// Seeds igraph's random number generator before every Leiden call. The default is Microsoft
    /// GraphRAG's `cluster_graph.seed`, 0xDEADBEEF.
    public let seed: UInt64
    /// How many levels the hierarchy may have, the whole-graph partition included.
    ///
    /// The default, 5, is the whole-graph partition and four rounds of splitting below it: a
    /// split typically shrinks a community by an order of magnitude, so four take a community of
    /// some 10^5 entities down to the maximum size, while bounding how many summaries (one per
    /// community and level) an entity takes part in.
    public let maxLevels: Int
    /// How many Leiden iterations each call runs (default 10). Never "until nothing changes"
    /// (igraph's negative count): with the refinement's randomness that did not end on a real
    /// corpus's graph at resolution 2 (65 entities, 58 edges; still iterating after 10 minutes),
    /// so the count is bounded, as igraph's own default (2) is.
    public let iterations: Int

    /// Leiden's randomness in the refinement step (igraph's and python-igraph's default).
    static let beta = 0.01

    /// Validates and makes options.
    ///
    /// - Throws: `CommunityError.Code.invalidOption` when `resolution` is not a finite number
    ///   above 0, `maxCommunitySize` is below 2, `maxLevels` below 1, or `iterations` below 1.
    public init(
        resolution: Double = 1.0, maxCommunitySize: Int = 10, seed: UInt64 = 0xDEAD_BEEF,
        maxLevels: Int = 5, iterations: Int = 10
    ) throws {
        guard resolution.isFinite, resolution > 0 else {
            throw CommunityError(.invalidOption, message: "the resolution must be a finite number above 0, not \(resolution)")
        }
        guard maxCommunitySize >= 2 else {
            throw CommunityError(.invalidOption, message: "the maximum community size must be at least 2, not \(maxCommunitySize)")
        }
        guard maxLevels >= 1 else {
            throw CommunityError(.invalidOption, message: "the number of levels must be at least 1, not \(maxLevels)")
        }
        guard iterations >= 1 else {
            throw CommunityError(.invalidOption, message: "the iterations must be at least 1, not \(iterations)")
        }
        self.resolution = resolution
        self.maxCommunitySize = maxCommunitySize
        self.seed = seed
        self.maxLevels = maxLevels
        self.iterations = iterations
    }

    /// The default options (they are valid, so this cannot fail).
    public static let standard: CommunityOptions = {
        do { return try CommunityOptions() } catch { preconditionFailure("the default options are valid") }
    }()

    /// A stable text of the options and the algorithm's version, for fingerprints, e.g.
    /// `leiden-1;resolution=1.0;max-size=10;seed=3735928559;levels=5;iterations=10;beta=0.01`.
    ///
    /// The resolution is written as Swift writes a Double (the shortest text that reads back
    /// the same value). Bump `leiden-N` when the algorithm's output changes for the same options.
    public var fingerprint: String {
        "leiden-1;resolution=\(resolution);max-size=\(maxCommunitySize);seed=\(seed);levels=\(maxLevels)"
            + ";iterations=\(iterations);beta=\(Self.beta)"
    }
}
