import GraphStore
import Registry

/// How `check` cuts the ids into ranges, and which of them this process takes.
///
/// Each range of document ids (and each range of entity ids) is read from both sides, compared
/// and, with `--repair`, repaired before the next one is read, so a check holds one range at a
/// time: its memory follows ``size``, not the corpus. With ``parts`` above one, process ``part``
/// takes every ``parts``-th range (and part 1 also what has no id to range by: dangling
/// MENTIONS, chunks without a document, constraints, the registry's pair totals), so N
/// processes started with `--part 1/N` ... `--part N/N` split one check between them.
public struct CheckRanges: Sendable, Equatable {
    /// Ids per range (of documents, and of entities).
    public var size: Int64
    /// This process's part, from 1.
    public var part: Int
    /// How many parts the check is split into.
    public var parts: Int

    public static let defaultSize: Int64 = 10_000

    public init(size: Int64 = Self.defaultSize, part: Int = 1, parts: Int = 1) {
        precondition(size > 0 && parts > 0 && (1...parts).contains(part), "invalid check ranges")
        self.size = size
        self.part = part
        self.parts = parts
    }

    /// Whether this process checks what no id range holds.
    package var takesUnrangedClasses: Bool { part == 1 }

    /// The half-open ranges of this part over ids from `bounds` (the registry's smallest and
    /// largest): the first range is open below and the last open above, so graph nodes with
    /// ids the registry never gave are read too.
    package func ranges(over bounds: ClosedRange<Int64>?) -> [IDRange] {
        var all: [IDRange] = []
        if let bounds {
            var start = bounds.lowerBound
            while true {
                let (next, overflow) = start.addingReportingOverflow(size)
                if overflow || next > bounds.upperBound {
                    all.append(IDRange(from: start, below: .max))
                    break
                }
                all.append(IDRange(from: start, below: next))
                start = next
            }
            all[0].from = .min
        } else {
            all = [IDRange(from: .min, below: .max)]
        }
        return all.enumerated().filter { $0.offset % parts == part - 1 }.map(\.element)
    }
}

/// A half-open range of ids, `[from, below)`.
package struct IDRange: Sendable, Hashable, CustomStringConvertible {
    package var from: Int64
    package var below: Int64

    package init(from: Int64, below: Int64) {
        self.from = from
        self.below = below
    }

    package func contains(_ id: Int64) -> Bool { id >= from && id < below }

    package var description: String {
        "[\(from == .min ? "-inf" : String(from)), \(below == .max ? "+inf" : String(below)))"
    }
}

/// Adds up the reports of a check's slices: counts add, and the samples (each slice's in
/// ascending order, slices in ascending ranges) keep the first `sampleSize`.
struct ConsistencyReportBuilder {
    let sampleSize: Int
    private var findings: [ConsistencyCheck: ConsistencyFinding] = [:]

    init(sampleSize: Int) {
        self.sampleSize = sampleSize
    }

    mutating func add(_ report: ConsistencyReport) {
        for finding in report.findings {
            var merged = findings[finding.check] ?? ConsistencyFinding(check: finding.check, count: 0, samples: [])
            merged.count += finding.count
            merged.samples += finding.samples.prefix(max(0, sampleSize - merged.samples.count))
            findings[finding.check] = merged
        }
    }

    /// The report, every class in its order.
    var report: ConsistencyReport {
        ConsistencyReport(findings: ConsistencyCheck.allCases.map {
            findings[$0] ?? ConsistencyFinding(check: $0, count: 0, samples: [])
        })
    }
}

extension GraphSnapshot {
    /// The graph's side of one range of document ids, with the chunks without any FROM_DOCUMENT
    /// whose id names a document of the range (`unattachedChunkIDs`).
    static func read(documents range: IDRange, from reader: GraphReader, unattachedChunkIDs: [String]) async throws -> GraphSnapshot {
        let slice = try await reader.documentRange(from: range.from, below: range.below)
        var snapshot = GraphSnapshot(documents: slice.documents, entities: [], mentions: slice.mentions, danglingMentions: [], constraints: [])
        snapshot.setAllConstraintsPresent()
        snapshot.addChunkLayer(chunks: slice.chunks, nextChunks: slice.nextChunks, chunkMentions: slice.chunkMentions)
        snapshot.detachedChunkIDs.formUnion(unattachedChunkIDs)
        return snapshot
    }

    /// The graph's side of one range of entity ids.
    static func read(entities range: IDRange, from reader: GraphReader) async throws -> GraphSnapshot {
        let entities = try await reader.entities(from: range.from, below: range.below)
        var snapshot = GraphSnapshot(documents: [], entities: entities, mentions: [], danglingMentions: [], constraints: [])
        snapshot.setAllConstraintsPresent()
        return snapshot
    }

    /// What no id range holds: dangling MENTIONS, the constraints, and chunks without a document
    /// whose id names none.
    static func readUnranged(from reader: GraphReader, dialect: GraphDialect, unattachedChunkIDs: [String]) async throws -> GraphSnapshot {
        async let dangling = reader.danglingMentions()
        async let constraints = reader.constraints(dialect: dialect)
        var snapshot = try await GraphSnapshot(documents: [], entities: [], mentions: [], danglingMentions: dangling, constraints: constraints)
        snapshot.detachedChunkIDs.formUnion(unattachedChunkIDs)
        return snapshot
    }

    private mutating func setAllConstraintsPresent() {
        hasDocumentConstraint = true
        hasEntityConstraint = true
        hasChunkConstraint = true
    }
}

extension RegistrySnapshot {
    /// The registry's side of one range of document ids: its documents in any status, the
    /// mention and chunk snapshots of the loaded ones, expired leases and documents awaiting
    /// re-extraction.
    static func read(documents range: IDRange, from registry: RegistryStore) async throws -> RegistrySnapshot {
        async let documents = registry.documents(from: range.from, below: range.below)
        async let mentions = registry.mentionsOfLoadedDocuments(from: range.from, below: range.below)
        async let chunks = registry.chunksOfLoadedDocuments(from: range.from, below: range.below)
        async let states = registry.leaseAndReextractionStates(from: range.from, below: range.below)
        let (expired, awaiting) = try await states
        var snapshot = try await RegistrySnapshot(documents: documents, entities: [], mentions: mentions, expiredLeases: [])
        snapshot.neededEntities = []
        snapshot.expiredLeaseDocumentIDs = Set(expired)
        snapshot.addChunkLayer(chunks: try await chunks, awaitingReextraction: [])
        snapshot.awaitingReextractionIDs = Set(awaiting)
        return snapshot
    }

    /// The registry's side of one range of entity ids: the entities, and those of them that
    /// loaded documents name.
    static func read(entities range: IDRange, from registry: RegistryStore) async throws -> RegistrySnapshot {
        async let entities = registry.entities(from: range.from, below: range.below)
        async let needed = registry.entitiesNeededByLoadedDocuments(from: range.from, below: range.below)
        var snapshot = try await RegistrySnapshot(documents: [], entities: entities, mentions: [], expiredLeases: [])
        snapshot.neededEntities = Set(try await needed)
        return snapshot
    }
}

/// The chunks without any FROM_DOCUMENT (what is wrong only), sorted into the ranges of the
/// documents their ids name; ids that name no document go with the unranged classes.
struct UnattachedChunks {
    private var byDocument: [Int64: [String]] = [:]
    private(set) var unnamed: [String] = []

    init(_ ids: [String]) {
        for id in ids {
            if let key = ChunkKey(chunkID: id) { byDocument[key.documentID, default: []].append(id) } else { unnamed.append(id) }
        }
    }

    func ids(in range: IDRange) -> [String] {
        byDocument.filter { range.contains($0.key) }.flatMap(\.value)
    }
}

extension RelationComparison {
    /// Reads and compares the relation layer of one range of entity ids (edges leaving them,
    /// totals whose lower id is in it). Pairs still pending are left out on both sides: their
    /// edge is a sync away from the totals, in a running ingest as after a crash, and the next
    /// sync writes it.
    static func read(entities range: IDRange, threshold: Int, registry: RegistryStore, reader: GraphReader) async throws -> RelationComparison {
        async let edges = reader.cooccurrences(from: range.from, below: range.below)
        async let totals = registry.pairTotalsForCheck(from: range.from, below: range.below, atLeast: threshold)
        let rows = try await totals
        let pending = Set(rows.filter(\.isPending).map(\.total.pair))
        return RelationComparison(
            edges: try await edges.filter { !pending.contains(EntityPair($0.from, $0.to)) },
            expected: rows.filter { !$0.isPending }.map(\.total), driftedTotals: [])
    }
}
