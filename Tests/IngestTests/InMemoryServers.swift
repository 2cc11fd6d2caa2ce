import GraphStore
@testable import Ingest
import Registry
import Synchronization

/// The calls of the in-memory registry and graph in the order they came, so a test can check the
/// commit order across both sides.
final class CallLog: Sendable {
    let calls = Mutex<[String]>([])

    func append(_ call: String) { calls.withLock { $0.append(call) } }
}

/// A registry in memory, as the commit stage sees it: ids by source and key, the run that
/// loaded each document, snapshots, dead letters, and a log of the calls in order.
final class InMemoryRegistry: CommitRegistry {
    struct Document: Equatable {
        var id: Int64
        var version: Int64 = 0
        var status = "pending"
        var loadedRun: Int64?
        var sha256: String?
        var error: String?
        /// The queue's side: who holds the document, until when, and the fingerprint it was
        /// loaded with.
        var holder: String?
        var leaseUntil: TestClock.Instant?
        var fingerprint: String?
    }

    struct State {
        var documents: [String: Document] = [:]
        var entities: [String: Int64] = [:]
        var snapshots: [Int64: [MentionCount]] = [:]
        var chunkSnapshots: [Int64: [ChunkRecord]] = [:]
        var pairSnapshots: [Int64: [PairCount]] = [:]
        var totals: [EntityPair: PairTotal] = [:]
        /// What commits changed in the totals, until a sync folds it in.
        var pairDeltas: [EntityPair: (count: Int64, documents: Int64)] = [:]
        var pending: Set<EntityPair> = []
        var threshold: Int?
        var deadLetters: [DeadLetterInput] = []
        var calls: [String] = []
        var nextID: Int64 = 1
        /// Workers whose liveness ended (their process died): their leases are dead at once.
        var deadHolders: Set<String> = []
        /// Running workers by id, with their fingerprints.
        var workers: [String: WorkerRegistration] = [:]
        var heartbeats = 0
        var livenessChecks = 0
    }

    let state = Mutex(State())
    let log: CallLog
    /// The clock leases run on.
    let clock: TestClock

    init(log: CallLog = CallLog(), clock: TestClock = TestClock()) {
        self.log = log
        self.clock = clock
    }

    /// Records a call in this registry's calls and in the shared log.
    func called(_ call: String, _ state: inout State) {
        state.calls.append(call)
        log.append(call)
    }

    /// The source registered under `id`.
    private static func source(of id: Int64, in state: State) -> String? {
        state.documents.first { $0.value.id == id }?.key
    }

    func registerDocumentsReturningVersions(_ documents: [DocumentRegistration]) async throws -> [String: RegisteredDocument] {
        state.withLock { state in
            called("registerDocuments", &state)
            var result: [String: RegisteredDocument] = [:]
            for document in documents {
                if state.documents[document.source] == nil {
                    state.documents[document.source] = Document(id: state.nextID)
                    state.nextID += 1
                }
                let known = state.documents[document.source]!
                result[document.source] = RegisteredDocument(id: known.id, version: known.version, loadedRun: known.loadedRun)
            }
            return result
        }
    }

    func registerEntities(_ entities: [EntityRegistration]) async throws -> [String: Int64] {
        state.withLock { state in
            called("registerEntities", &state)
            var result: [String: Int64] = [:]
            for entity in entities {
                if state.entities[entity.key] == nil {
                    state.entities[entity.key] = 1_000 + Int64(state.entities.count)
                }
                result[entity.key] = state.entities[entity.key]
            }
            return result
        }
    }

    func replaceMentionAndChunkSnapshots(mentions: [Int64: [MentionCount]], chunks: [Int64: [ChunkRecord]]) async throws {
        state.withLock { state in
            called("replaceMentionAndChunkSnapshots", &state)
            state.snapshots.merge(mentions) { $1 }
            state.chunkSnapshots.merge(chunks) { $1 }
        }
    }

    func replacePairSnapshots(_ snapshots: [Int64: [PairCount]]) async throws {
        state.withLock { state in
            called("replacePairSnapshots", &state)
            for (document, pairs) in snapshots {
                for old in state.pairSnapshots[document] ?? [] {
                    state.pairDeltas[old.pair, default: (0, 0)].count -= Int64(old.count)
                    state.pairDeltas[old.pair, default: (0, 0)].documents -= 1
                }
                for new in pairs {
                    state.pairDeltas[new.pair, default: (0, 0)].count += Int64(new.count)
                    state.pairDeltas[new.pair, default: (0, 0)].documents += 1
                }
                state.pairSnapshots[document] = pairs
            }
        }
    }

    func foldPairDeltas(minimumCount: Int) async throws -> Int {
        state.withLock { state in
            let deltas = state.pairDeltas
            state.pairDeltas = [:]
            var changed = 0
            for (pair, change) in deltas where change.count != 0 || change.documents != 0 {
                changed += 1
                var total = state.totals[pair] ?? PairTotal(pair: pair, count: 0, documents: 0)
                total.count += change.count
                total.documents += change.documents
                total.revision += 1
                if state.pending.contains(pair) || total.graphCount != nil || total.count >= Int64(minimumCount) {
                    state.pending.insert(pair)
                }
                state.totals[pair] = total.count == 0 && !state.pending.contains(pair) ? nil : total
            }
            return changed
        }
    }

    func pendingPairTotals(among pairs: [EntityPair]?, after: EntityPair?, limit: Int) async throws -> [PairTotal] {
        state.withLock { state in
            let candidates = pairs.map(Set.init) ?? state.pending
            let found = candidates.filter { state.pending.contains($0) && (after == nil || after! < $0) }.sorted().prefix(limit)
            return found.compactMap { state.totals[$0] }
        }
    }

    func markEdgesUncertain(_ pairs: [EntityPair]) async throws {
        state.withLock { state in
            called("markEdgesUncertain", &state)
            for pair in pairs where state.totals[pair] != nil && state.totals[pair]?.graphCount == nil {
                state.totals[pair]?.graphCount = 0
            }
        }
    }

    func markPairsWritten(_ totals: [PairTotal], minimumCount: Int) async throws {
        state.withLock { state in
            called("markPairsWritten", &state)
            for written in totals {
                guard var total = state.totals[written.pair], total.revision == written.revision else { continue }
                state.pending.remove(written.pair)
                total.graphCount = total.count >= Int64(minimumCount) ? total.count : nil
                state.totals[written.pair] = total.count == 0 ? nil : total
            }
        }
    }

    func withGraphWriteLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await body()
    }

    func withCooccurrenceLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await body()
    }

    func cooccurrenceThreshold() async throws -> Int? {
        state.withLock { $0.threshold }
    }

    func applyCooccurrenceThreshold(_ minimumCount: Int) async throws -> Int {
        state.withLock { state in
            guard state.threshold != minimumCount else { return 0 }
            state.threshold = minimumCount
            var marked = 0
            for (pair, total) in state.totals where !state.pending.contains(pair) && (total.count >= Int64(minimumCount)) != (total.graphCount != nil) {
                state.pending.insert(pair)
                state.totals[pair]?.revision += 1
                marked += 1
            }
            return marked
        }
    }

    func markLoaded(_ documents: [LoadedDocument], holder: String?) async throws -> Int {
        let now = clock.now
        return state.withLock { state in
            called("markLoaded", &state)
            for document in documents {
                guard let source = Self.source(of: document.id, in: state),
                      !Self.isHeldByAnother(state.documents[source]!, holder: holder, now: now, in: state) else { continue }
                state.documents[source]?.holder = nil
                state.documents[source]?.leaseUntil = nil
                state.documents[source]?.fingerprint = document.fingerprint
                state.documents[source]?.status = "loaded"
                state.documents[source]?.version = document.version
                state.documents[source]?.loadedRun = document.runID
                state.documents[source]?.sha256 = document.sha256
            }
            return documents.count
        }
    }

    func markFailed(_ documents: [FailedDocument], holder: String?) async throws -> Int {
        let now = clock.now
        return state.withLock { state in
            called("markFailed", &state)
            for document in documents {
                guard let source = Self.source(of: document.id, in: state),
                      !Self.isHeldByAnother(state.documents[source]!, holder: holder, now: now, in: state) else { continue }
                state.documents[source]?.holder = nil
                state.documents[source]?.leaseUntil = nil
                state.documents[source]?.status = "failed"
                state.documents[source]?.error = document.error
            }
            return documents.count
        }
    }

    func addDeadLetters(_ letters: [DeadLetterInput]) async throws -> [Int64] {
        state.withLock { state in
            called("addDeadLetters", &state)
            state.deadLetters += letters
            return letters.indices.map(Int64.init)
        }
    }
}

/// A graph in memory that refuses what it is told to, one row at a time, like a server with a
/// constraint: writes go through the same failure isolation (halving) as ``GraphWriter``'s.
final class InMemoryGraph: CommitGraph {
    struct Refusal: Error {}

    struct State {
        var documents: [Int64: GraphDocumentRow] = [:]
        var entities: [Int64: GraphEntityRow] = [:]
        var mentions: [Int64: [GraphMentionRow]] = [:]
        var chunks: [Int64: [GraphChunkRow]] = [:]
        var chunkMentions: [Int64: [GraphChunkMentionRow]] = [:]
        var cooccurrences: [EntityPair: GraphCooccurrenceRow] = [:]
        /// Edges created where one already was: a real graph would hold two.
        var duplicateEdges: [EntityPair] = []
        var calls: [String] = []
        /// Statements run, failed ones included (halving runs several per batch).
        var statements = 0
    }

    let state = Mutex(State())
    /// Sources whose Document row the graph refuses.
    let refusedSources: Set<String>
    /// Entity keys whose row the graph refuses.
    let refusedKeys: Set<String>
    /// When set, every write fails with this error (a lost server, say).
    let failure: (any Error & Sendable)?

    let log: CallLog
    /// How long each replacement of relationships takes (a slow graph).
    let relationshipDelay: Duration

    init(refusedSources: Set<String> = [], refusedKeys: Set<String> = [], failure: (any Error & Sendable)? = nil, log: CallLog = CallLog(),
         relationshipDelay: Duration = .zero) {
        self.log = log
        self.relationshipDelay = relationshipDelay
        self.refusedSources = refusedSources
        self.refusedKeys = refusedKeys
        self.failure = failure
    }

    private func write<Row: Sendable>(_ rows: [Row], call: String, refused: (Row) -> Bool, apply: @escaping @Sendable ([Row], inout State) -> Void) async throws -> [RejectedRow<Row>] {
        if let failure { throw failure }
        state.withLock { $0.calls.append(call) }
        log.append(call)
        return try await writeIsolatingFailures(rows, isRowError: { $0 is Refusal }, describe: { _ in "refused" }) { batch in
            state.withLock { $0.statements += 1 }
            if batch.contains(where: refused) { throw Refusal() }
            state.withLock { apply(batch, &$0) }
        }
    }

    func writeDocuments(_ rows: [GraphDocumentRow]) async throws -> [RejectedRow<GraphDocumentRow>] {
        try await write(rows, call: "writeDocuments", refused: { self.refusedSources.contains($0.source) }) { batch, state in
            for row in batch { state.documents[row.id] = row }
        }
    }

    func writeEntities(_ rows: [GraphEntityRow]) async throws -> [RejectedRow<GraphEntityRow>] {
        try await write(rows, call: "writeEntities", refused: { self.refusedKeys.contains($0.key) }) { batch, state in
            for row in batch { state.entities[row.id] = row }
        }
    }

    func replaceRelationships(_ documents: [GraphWriter.DocumentRelationships]) async throws -> [RejectedRow<GraphWriter.DocumentRelationships>] {
        if relationshipDelay > .zero { try await Task.sleep(for: relationshipDelay) }
        return try await write(documents, call: "replaceRelationships", refused: { _ in false }) { batch, state in
            for document in batch {
                state.mentions[document.documentID] = document.mentions
                state.chunks[document.documentID] = document.chunks.map(\.chunk)
                state.chunkMentions[document.documentID] = document.chunks.flatMap(\.mentions)
            }
        }
    }

    func writeCooccurrences(_ edges: [GraphCooccurrenceRow], creating created: [GraphCooccurrenceRow],
                            removed: [GraphCooccurrenceRow]) async throws {
        if let failure { throw failure }
        log.append("writeCooccurrences")
        state.withLock { state in
            state.calls.append("writeCooccurrences")
            for row in removed { state.cooccurrences[EntityPair(row.a, row.b)] = nil }
            for row in edges { state.cooccurrences[EntityPair(row.a, row.b)] = row }
            for row in created {
                let pair = EntityPair(row.a, row.b)
                if state.cooccurrences[pair] != nil { state.duplicateEdges.append(pair) }
                state.cooccurrences[pair] = row
            }
        }
    }
}
