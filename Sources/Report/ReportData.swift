import Foundation

/// Everything `graphingest report` shows, as plain values: the renderer (``ReportRenderer``) turns
/// it into one HTML page with no I/O of its own, so the same value always gives the same bytes.
///
/// Lists arrive cut and ordered (the job that gathers them applies `--top`); the renderer never
/// sorts, so the order here is the order on the page.
public struct ReportData: Sendable, Hashable, Codable {
    /// How many items each list holds at most (`--top`), shown in the page's text.
    public var top: Int
    /// The newest run's end (or start), printed as the registry's "as of"; nil before any run.
    /// A clock reading would make two reports of one graph differ, so there is none.
    public var asOf: Date?
    /// The registry's figures for the whole corpus.
    public var corpus: Corpus
    /// The most recent runs, newest first.
    public var runs: [Run]
    /// Entities with the most mentions, and with the most CO_OCCURS_WITH relations.
    public var topByMentions: [Entity]
    public var topByDegree: [Entity]
    /// The co-occurrence network of the top entities, laid out.
    public var network: Network
    /// The communities of the coarsest level with the most documents, the first first.
    public var communities: [Community]
    /// Open dead letters, newest first, and how many are open in all.
    public var deadLetters: [DeadLetter]
    public var openDeadLetters: Int
    /// Chunk sizes in code points, and mentions per loaded document.
    public var chunkSizes: ReportHistogram
    public var mentionsPerDocument: ReportHistogram

    /// A report of at most `top` items per list; every part empty unless given.
    public init(top: Int, asOf: Date? = nil, corpus: Corpus = Corpus(), runs: [Run] = [], topByMentions: [Entity] = [],
                topByDegree: [Entity] = [], network: Network = Network(), communities: [Community] = [],
                deadLetters: [DeadLetter] = [], openDeadLetters: Int = 0,
                chunkSizes: ReportHistogram = ReportHistogram(), mentionsPerDocument: ReportHistogram = ReportHistogram()) {
        self.top = top
        self.asOf = asOf
        self.corpus = corpus
        self.runs = runs
        self.topByMentions = topByMentions
        self.topByDegree = topByDegree
        self.network = network
        self.communities = communities
        self.deadLetters = deadLetters
        self.openDeadLetters = openDeadLetters
        self.chunkSizes = chunkSizes
        self.mentionsPerDocument = mentionsPerDocument
    }

    /// A name and a count (entities of a type, communities of a level).
    public struct Count: Sendable, Hashable, Codable {
        public var name: String
        public var count: Int

        public init(name: String, count: Int) {
            self.name = name
            self.count = count
        }
    }

    /// The registry's figures for the whole corpus.
    public struct Corpus: Sendable, Hashable, Codable {
        /// Documents of one status and their bytes.
        public struct Status: Sendable, Hashable, Codable {
            public var status: String
            public var documents: Int
            public var bytes: Int

            public init(status: String, documents: Int, bytes: Int) {
                self.status = status
                self.documents = documents
                self.bytes = bytes
            }
        }

        public var statuses: [Status] = []
        public var chunks = 0
        public var entities = 0
        /// Entities per type, the largest first.
        public var entityTypes: [Count] = []
        /// MENTIONS relationships and the mentions they count.
        public var mentionRelationships = 0
        public var mentions = 0
        /// CO_OCCURS_WITH relations (pairs at the threshold), of `pairs` pairs counted.
        public var relations = 0
        public var pairs = 0
        public var minimumCooccurrence: Int?
        /// Communities per level, the finest (level 0) first.
        public var communityLevels: [Count] = []

        public init() {}
    }

    /// One recorded run, from its figures.
    public struct Run: Sendable, Hashable, Codable {
        /// A stage's busy time, summed over its tasks (it can exceed the wall time).
        public struct Stage: Sendable, Hashable, Codable {
            public var name: String
            public var seconds: Double

            public init(name: String, seconds: Double) {
                self.name = name
                self.seconds = seconds
            }
        }

        public var id: Int64
        public var command: String
        public var startedAt: Date
        public var finishedAt: Date?
        /// Wall time, documents loaded and bytes read, as the run's summary gave them.
        public var seconds: Double?
        public var documents: Int?
        public var bytes: Int?
        public var stages: [Stage]

        public init(id: Int64, command: String, startedAt: Date, finishedAt: Date?, seconds: Double?, documents: Int?, bytes: Int?,
                    stages: [Stage]) {
            self.id = id
            self.command = command
            self.startedAt = startedAt
            self.finishedAt = finishedAt
            self.seconds = seconds
            self.documents = documents
            self.bytes = bytes
            self.stages = stages
        }

        /// Documents per second of wall time, when both are known and the time is not zero.
        public var documentsPerSecond: Double? {
            guard let seconds, let documents, seconds > 0 else { return nil }
            return Double(documents) / seconds
        }
    }

    /// One entity with its figures.
    public struct Entity: Sendable, Hashable, Codable {
        public var key: String
        public var name: String
        public var type: String
        /// Mentions over the corpus, documents that mention it, CO_OCCURS_WITH relations.
        public var mentions: Int
        public var documents: Int
        public var degree: Int

        public init(key: String, name: String, type: String, mentions: Int, documents: Int, degree: Int) {
            self.key = key
            self.name = name
            self.type = type
            self.mentions = mentions
            self.documents = documents
            self.degree = degree
        }
    }

    /// The co-occurrence network of the top entities, laid out.
    public struct Network: Sendable, Hashable, Codable {
        /// An entity placed at (x, y), each in 0...1; `community` is its coarsest community's id.
        public struct Node: Sendable, Hashable, Codable {
            public var key: String
            public var name: String
            public var type: String
            public var mentions: Int
            public var community: String?
            public var x: Double
            public var y: Double

            public init(key: String, name: String, type: String, mentions: Int, community: String?, x: Double, y: Double) {
                self.key = key
                self.name = name
                self.type = type
                self.mentions = mentions
                self.community = community
                self.x = x
                self.y = y
            }
        }

        /// A CO_OCCURS_WITH relation between nodes `a` and `b` (indexes into `nodes`).
        public struct Edge: Sendable, Hashable, Codable {
            public var a: Int
            public var b: Int
            public var count: Int

            public init(a: Int, b: Int, count: Int) {
                self.a = a
                self.b = b
                self.count = count
            }
        }

        public var nodes: [Node] = []
        public var edges: [Edge] = []
        /// Relations between these nodes left out to bound the page (the weakest go first).
        public var omittedEdges = 0

        public init(nodes: [Node] = [], edges: [Edge] = [], omittedEdges: Int = 0) {
            self.nodes = nodes
            self.edges = edges
            self.omittedEdges = omittedEdges
        }
    }

    /// One community with its text and its members with the most mentions.
    public struct Community: Sendable, Hashable, Codable {
        public var id: String
        public var level: Int
        public var size: Int
        /// Documents that mention a member (`community_rank`).
        public var documents: Int
        public var title: String
        public var summary: String
        public var members: [String]

        public init(id: String, level: Int, size: Int, documents: Int, title: String, summary: String, members: [String]) {
            self.id = id
            self.level = level
            self.size = size
            self.documents = documents
            self.title = title
            self.summary = summary
            self.members = members
        }
    }

    /// One open dead letter.
    public struct DeadLetter: Sendable, Hashable, Codable {
        public var id: Int64
        public var runID: Int64?
        /// The file (or `file.jsonl#id`, or `file:line`) and the stage that failed.
        public var source: String
        public var stage: String
        public var error: String
        public var createdAt: Date

        public init(id: Int64, runID: Int64?, source: String, stage: String, error: String, createdAt: Date) {
            self.id = id
            self.runID = runID
            self.source = source
            self.stage = stage
            self.error = error
            self.createdAt = createdAt
        }
    }
}
