import Foundation
import IntegrationSupport
import Testing
@testable import Registry

@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct RegistryStoreIntegrationTests {
    @Test func bulkRegistrationGivesDistinctStableIDs() async throws {
        try await RegistryTestDatabase.withStore { store in
            let sources = (0..<100_000).map { DocumentRegistration(source: "corpus/dir\($0 % 97)/doc-\($0).txt", sha256: "h\($0)") }
            let clock = ContinuousClock()
            var first: [String: Int64] = [:]
            let elapsed = try await clock.measure { first = try await store.registerDocuments(sources) }
            print("registerDocuments: 100,000 new sources in \(elapsed)")
            #expect(first.count == 100_000)
            #expect(Set(first.values).count == 100_000)
            var second: [String: Int64] = [:]
            let again = try await clock.measure { second = try await store.registerDocuments(sources.reversed()) }
            print("registerDocuments: 100,000 known sources in \(again)")
            #expect(second == first)
            // A mixed batch: known sources keep their ids, new ones get new ones.
            let mixed = try await store.registerDocuments(
                [DocumentRegistration(source: "corpus/dir0/doc-0.txt"), DocumentRegistration(source: "corpus/new.txt")])
            #expect(mixed["corpus/dir0/doc-0.txt"] == first["corpus/dir0/doc-0.txt"])
            #expect(mixed["corpus/new.txt"].map { !Set(first.values).contains($0) } == true)
            #expect(try await store.statusCounts()[.pending] == 100_001)
        }
    }

    @Test func registrationInSmallBatchesAndEntities() async throws {
        try await RegistryTestDatabase.withStore(batchSize: 7) { store in
            let documents = try await store.registerDocuments((0..<20).map { DocumentRegistration(source: "s\($0)") } + [DocumentRegistration(source: "s3")])
            #expect(documents.count == 20)
            let entities = (0..<30).map { EntityRegistration(key: "geo:\($0)", name: "Place \($0)", type: "City") }
            let ids = try await store.registerEntities(entities)
            #expect(Set(ids.values).count == 30)
            // Re-registering with a new name keeps the id and updates the name.
            let renamed = try await store.registerEntities([EntityRegistration(key: "geo:1", name: "Paris", type: "City")])
            #expect(renamed == ["geo:1": ids["geo:1"]!])
            let all = try await store.entities(from: 0, below: .max)
            #expect(all.count == 30)
            #expect(all.first { $0.key == "geo:1" }?.name == "Paris")
            #expect(try await store.entityIDs(keys: ["geo:2", "nope"]) == ["geo:2": ids["geo:2"]!])
            #expect(try await store.documentIDs(sources: ["s4"]) == ["s4": documents["s4"]!])
        }
    }

    @Test func mentionSnapshotsAreReplacedWhole() async throws {
        try await RegistryTestDatabase.withStore { store in
            let docs = try await store.registerDocuments([DocumentRegistration(source: "a"), DocumentRegistration(source: "b")])
            let ents = try await store.registerEntities((1...4).map { EntityRegistration(key: "k\($0)", name: "n\($0)", type: "T") })
            let (a, b) = (docs["a"]!, docs["b"]!)
            let (e1, e2, e3, e4) = (ents["k1"]!, ents["k2"]!, ents["k3"]!, ents["k4"]!)
            try await store.replaceMentionSnapshots([
                a: [MentionCount(entityID: e1, count: 1), MentionCount(entityID: e2, count: 2)],
                b: [MentionCount(entityID: e3, count: 3)],
            ])
            try await store.replaceMentionSnapshots([
                // Duplicates apart from each other are added up; a count of 0 is no mention.
                a: [MentionCount(entityID: e4, count: 1), MentionCount(entityID: e2, count: 5), MentionCount(entityID: e3, count: 0),
                    MentionCount(entityID: e4, count: 1)],
            ])
            let snapshot = try await store.mentionSnapshot(documentIDs: [a, b, 999_999])
            #expect(snapshot[a] == [MentionCount(entityID: e2, count: 5), MentionCount(entityID: e4, count: 2)].sorted { $0.entityID < $1.entityID })
            #expect(snapshot[b] == [MentionCount(entityID: e3, count: 3)])
            #expect(snapshot[999_999] == [])
            try await store.replaceMentionSnapshots([:])
            try await store.replaceMentionSnapshots([b: []])
            #expect(try await store.mentionSnapshot(documentIDs: [b])[b] == [])
        }
    }

    @Test func documentLifecycleAndTombstones() async throws {
        try await RegistryTestDatabase.withStore { store in
            let ids = try await store.registerDocuments(["x", "y", "z"].map { DocumentRegistration(source: $0) })
            let ents = try await store.registerEntities([EntityRegistration(key: "k", name: "n", type: "T")])
            let mtime = Date(timeIntervalSince1970: 1_790_000_000.5)
            #expect(try await store.markLoaded([
                LoadedDocument(id: ids["x"]!, sha256: "sx", version: 1, fingerprint: "f1", bytes: 10, fileSize: 10, fileModified: mtime),
            ]) == 1)
            #expect(try await store.markFailed([FailedDocument(id: ids["y"]!, error: "bad encoding")]) == 1)
            try await store.replaceMentionSnapshots([ids["z"]!: [MentionCount(entityID: ents["k"]!, count: 1)]])
            #expect(try await store.markDeleted([ids["z"]!]) == 1)
            #expect(try await store.markDeleted([ids["z"]!]) == 1)
            #expect(try await store.mentionSnapshot(documentIDs: [ids["z"]!])[ids["z"]!] == [])
            let counts = try await store.statusCounts()
            #expect(counts == [.pending: 0, .indexing: 0, .loaded: 1, .failed: 1, .deleted: 1])
            let loaded = try await store.documents(from: 0, below: .max).filter { $0.status == .loaded }
            #expect(loaded.map(\.source) == ["x"])
            #expect(loaded.first?.sha256 == "sx")
            #expect(loaded.first?.version == 1)
            // A deleted source that comes back keeps its id and is pending again.
            let back = try await store.registerDocuments([DocumentRegistration(source: "z"), DocumentRegistration(source: "w")])
            #expect(back["z"] == ids["z"])
            #expect(try await store.statusCounts()[.pending] == 2)
            // Its id was never given to anything else.
            #expect(back["w"].map { !ids.values.contains($0) } == true)
        }
    }

    @Test func runsAndDeadLetters() async throws {
        try await RegistryTestDatabase.withStore { store in
            let run = try await store.startRun(command: "ingest", arguments: ["corpus/", "--gazetteer", "g.tsv"])
            let letters = try await store.addDeadLetters([
                DeadLetterInput(runID: run, source: "a.txt", stage: .read, error: "not UTF-8"),
                DeadLetterInput(runID: run, source: "b.txt", stage: .load, error: "timeout", payload: "{\"batch\":3}"),
                DeadLetterInput(source: "c.txt", stage: .extract, error: "rule failed"),
            ])
            #expect(letters.count == 3)
            try await store.finishRun(run, figures: ["documents": 10, "rate": 12.5, "deadLetters": 3])
            let runs = try await store.lastRuns(5)
            #expect(runs.count == 1)
            #expect(runs.first?.arguments == ["corpus/", "--gazetteer", "g.tsv"])
            #expect(runs.first?.figures == ["documents": 10, "rate": 12.5, "deadLetters": 3])
            #expect(runs.first?.finishedAt != nil)
            let listed = try await store.listDeadLetters()
            #expect(listed.map(\.source) == ["c.txt", "b.txt", "a.txt"])
            #expect(listed.first { $0.source == "b.txt" }?.payload == "{\"batch\":3}")
            #expect(try await store.listDeadLetters(runID: run).count == 2)
            #expect(try await store.openDeadLetterCount() == 3)
            await #expect(throws: RegistryError.self) { try await store.finishRun(run + 1000, figures: [:]) }
        }
    }

    @Test func reindexPlanSortsNewChangedUnchangedGone() async throws {
        try await RegistryTestDatabase.withStore { store in
            let mtime = Date(timeIntervalSince1970: 1_790_000_000)
            let ids = try await store.registerDocuments(["r/a", "r/b", "r/c", "r/d", "r/e", "other/x"].map { DocumentRegistration(source: $0) })
            try await store.markLoaded(["r/a", "r/b", "r/c", "r/e", "other/x"].map {
                LoadedDocument(id: ids[$0]!, sha256: "sha-\($0)", version: 1, fingerprint: "f1", fileSize: 5, fileModified: mtime)
            })
            try await store.markDeleted([ids["r/e"]!])
            let found = [
                ReindexCandidate(source: "r/a", sha256: "sha-r/a"),                  // same hash
                ReindexCandidate(source: "r/b", sha256: "other"),                    // new hash
                ReindexCandidate(source: "r/c", fileSize: 5, fileModified: mtime),   // same stat
                ReindexCandidate(source: "r/e", sha256: "sha-r/e"),                  // deleted, back
                ReindexCandidate(source: "r/new", sha256: "n"),                      // never seen
            ]
            // r/d was registered but never loaded, and is not on disk: gone.
            let plan = try await store.planReindex(roots: ["r/"], found: found, fingerprint: "f1")
            #expect(plan.unchanged.map(\.source) == ["r/a", "r/c"])
            #expect(plan.changed.map(\.candidate.source) == ["r/b"])
            #expect(plan.changed.first?.id == ids["r/b"])
            #expect(plan.new.map(\.source) == ["r/e", "r/new"])
            #expect(plan.gone == [DocumentReference(id: ids["r/d"]!, source: "r/d")])
            // Another extractor fingerprint makes every loaded document changed.
            let refingerprinted = try await store.planReindex(roots: ["r/"], found: found, fingerprint: "f2")
            #expect(refingerprinted.changed.map(\.candidate.source) == ["r/a", "r/b", "r/c"])
            // A changed stat without a hash is changed.
            let touched = try await store.planReindex(
                roots: [""], found: [ReindexCandidate(source: "r/c", fileSize: 6, fileModified: mtime)])
            #expect(touched.changed.map(\.candidate.source) == ["r/c"])
            #expect(Set(touched.gone.map(\.source)) == ["r/a", "r/b", "r/d", "other/x"])
        }
    }

    @Test func sqlErrorSurfacesWithSQLState() async throws {
        try await RegistryTestDatabase.withStore { store in
            // PostgreSQL text cannot hold NUL: the server rejects the COPY with SQLSTATE 22021.
            let error = await #expect(throws: RegistryError.self) {
                _ = try await store.registerDocuments([DocumentRegistration(source: "ok"), DocumentRegistration(source: "bad\u{0}name")])
            }
            #expect(error?.code == .server)
            #expect(error?.sqlState == "22021")
            #expect(error?.operation == "registerDocuments")
            #expect(error?.description.contains("SQLSTATE 22021") == true)
            // Nothing of the failed batch was written, and the store is still usable.
            let counts = try await store.statusCounts()
            #expect(counts[.pending] == 0)
            let again = try await store.registerDocuments([DocumentRegistration(source: "ok")])
            #expect(again.count == 1)
        }
    }

    @Test func mentionsOfUnknownIDsAreRefusedWhole() async throws {
        try await RegistryTestDatabase.withStore { store in
            let docs = try await store.registerDocuments([DocumentRegistration(source: "a")])
            let ents = try await store.registerEntities([EntityRegistration(key: "k", name: "n", type: "T")])
            let (a, k) = (docs["a"]!, ents["k"]!)
            try await store.replaceMentionSnapshots([a: [MentionCount(entityID: k, count: 2)]])
            let error = await #expect(throws: RegistryError.self) {
                try await store.replaceMentionSnapshots([
                    a: [MentionCount(entityID: 424_242, count: 1)], 777_777: [MentionCount(entityID: k, count: 1)],
                ])
            }
            #expect(error?.code == .invalidArgument)
            #expect(error?.operation == "replaceMentionSnapshots")
            #expect(error?.message.hasPrefix("2 mention rows") == true)
            #expect(try await store.mentionSnapshot(documentIDs: [a])[a] == [MentionCount(entityID: k, count: 2)])
        }
    }
}
