import Foundation
import IntegrationSupport
import Testing
@testable import Registry

@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct RegistryQueueIntegrationTests {
    @Test func twoWorkersNeverClaimTheSameDocument() async throws {
        try await RegistryTestDatabase.withStore { store in
            let documents = (0..<300).map { DocumentRegistration(source: "q/\($0)") }
            let ids = try await store.registerDocuments(documents)
            let batches = stride(from: 0, to: documents.count, by: 7).map { Array(documents[$0..<min($0 + 7, documents.count)]) }
            let settings = try RegistryTestDatabase.settings()
            let schema = store.schema
            // Two stores, as two processes would have, each with two workers claiming the same
            // batches in the same order (so that they meet each other's claims).
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for process in 0..<2 {
                    group.addTask {
                        let worker = RegistryStore(settings: settings, schema: schema, maximumConnections: 2)
                        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { inner in
                            for task in 0..<2 {
                                inner.addTask {
                                    var mine: [Int64] = []
                                    for batch in batches {
                                        // A lease no run of the suite outlasts: this test is about claims
                                        // meeting each other, and a loaded machine once let a 60 s lease
                                        // run out mid-test.
                                        let outcome = try await worker.claimDocuments(
                                            batch, fingerprint: "f", holder: "worker-\(process)-\(task)", lease: .seconds(600))
                                        mine += outcome.claimed.values.map(\.id)
                                    }
                                    return mine
                                }
                            }
                            return try await inner.reduce(into: [Int64]()) { $0 += $1 }
                        }
                        await worker.close()
                        return claimed
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 300)
            #expect(Set(all) == Set(ids.values))
            #expect(Set(claims[0]).isDisjoint(with: claims[1]))
            #expect(try await store.statusCounts()[.indexing] == 300)
        }
    }

    @Test func anExpiredLeaseIsClaimedAgain() async throws {
        try await RegistryTestDatabase.withStore { store in
            let (a, b) = (DocumentRegistration(source: "lease/a"), DocumentRegistration(source: "lease/b"))
            let ids = try await store.registerDocuments([a, b])
            let clock = ContinuousClock()
            let start = clock.now
            // 15 s: long enough that the claims below run while it holds, even on a machine busy
            // with the rest of the suite (a 5 s lease once ran out between two claims).
            let first = try await store.claimDocuments([a], fingerprint: "f", holder: "first", lease: .seconds(15))
            // The lease ran from some moment of that claim: at the latest, when it returned.
            let claimed = clock.now
            #expect(first.claimed.mapValues(\.id) == ["lease/a": ids["lease/a"]!])
            let other = try await store.claimDocuments([a, b], fingerprint: "f", holder: "second", lease: .seconds(600))
            if clock.now - start < .milliseconds(14_500) {
                // Only meaningful while the first lease surely runs (a loaded machine can be slow).
                #expect(other.claimed.mapValues(\.id) == ["lease/b": ids["lease/b"]!])
                #expect(other.heldByOthers == ["lease/a": ids["lease/a"]!])
            }
            try await Task.sleep(until: claimed + .milliseconds(15_500))
            let again = try await store.claimDocuments([a], fingerprint: "f", holder: "second", lease: .seconds(600))
            #expect(again.claimed.mapValues(\.id) == ["lease/a": ids["lease/a"]!])
            let leased = try await store.leasedDocuments(limit: 10).first { $0.source == "lease/a" }
            #expect(leased?.holder == "second")
            #expect(leased?.leaseUntil.map { $0 > Date() } == true)
            // A renewed lease keeps the document, for its holder only; a loaded one leaves the
            // queue for good.
            #expect(try await store.renewLeases([ids["lease/a"]!], lease: .seconds(120), holder: "first") == 0)
            #expect(try await store.renewLeases([ids["lease/a"]!], lease: .seconds(120), holder: "second") == 1)
            // Only its holder marks a document another worker holds under a live lease loaded.
            #expect(try await store.markLoaded([LoadedDocument(id: ids["lease/a"]!, sha256: "s", version: 1)], holder: "first") == 0)
            #expect(try await store.markLoaded([LoadedDocument(id: ids["lease/a"]!, sha256: "s", version: 1)], holder: "second") == 1)
            #expect(try await store.renewLeases([ids["lease/a"]!], lease: .seconds(120), holder: "second") == 0)
            #expect(try await store.statusCounts()[.loaded] == 1)
            // A failed document is claimed again by the next claim of its source.
            #expect(try await store.failClaimed([(source: "lease/b", error: "boom")], holder: "second") == 1)
            #expect(try await store.statusCounts()[.failed] == 1)
            let retried = try await store.claimDocuments([b], fingerprint: "f", holder: "third", lease: .seconds(60))
            #expect(retried.claimed.mapValues(\.id) == ["lease/b": ids["lease/b"]!])
        }
    }

    @Test func aSourceTheRunLoadedAlreadyIsLeftAsItIsNotClaimedAgain() async throws {
        try await RegistryTestDatabase.withStore { store in
            let first = DocumentRegistration(source: "twice/a", sha256: "first")
            let claimed = try await store.claimDocuments([first], fingerprint: "f", holder: "w", lease: .seconds(600), run: 7)
            let id = try #require(claimed.claimed["twice/a"]?.id)
            #expect(try await store.markLoaded([LoadedDocument(id: id, sha256: "first", version: 1, fingerprint: "f", runID: 7)], holder: "w") == 1)
            // The same source with other content, later in the same run: left loaded, as the
            // first document made it; reported so the caller can tell the user.
            let second = DocumentRegistration(source: "twice/a", sha256: "second")
            let again = try await store.claimDocuments([second], fingerprint: "f", holder: "w", lease: .seconds(600), run: 7)
            #expect(again.claimed.isEmpty)
            #expect(again.loadedByRun == ["twice/a"])
            #expect(try await store.statusCounts()[.loaded] == 1)
            // The same content is unchanged, whichever run asks; another run claims other content.
            let same = try await store.claimDocuments([first], fingerprint: "f", holder: "w", lease: .seconds(600), run: 7)
            #expect(same.unchanged == ["twice/a"])
            let nextRun = try await store.claimDocuments([second], fingerprint: "f", holder: "w", lease: .seconds(600), run: 8)
            #expect(nextRun.claimed["twice/a"]?.id == id)
            #expect(nextRun.claimed["twice/a"]?.loadedRun == 7)
        }
    }
}
