import Foundation
import IntegrationSupport
import Testing
@testable import Registry

@Suite(.enabled(if: IntegrationEnvironment.isEnabled))
struct RegistryQueueIntegrationTests {
    @Test func twoWorkersNeverClaimTheSameDocument() async throws {
        try await RegistryTestDatabase.withStore { store in
            let ids = try await store.registerDocuments((0..<300).map { DocumentRegistration(source: "q/\($0)") })
            let settings = try RegistryTestDatabase.settings()
            let schema = store.schema
            // Two stores, as two processes would have, each with two connections claiming.
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        let worker = RegistryStore(settings: settings, schema: schema, maximumConnections: 2)
                        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { inner in
                            for _ in 0..<2 {
                                inner.addTask {
                                    var mine: [Int64] = []
                                    while true {
                                        // A lease no run of the suite outlasts: this test is about SKIP LOCKED,
                                        // and a loaded machine once let a 60 s lease run out mid-test.
                                        let batch = try await worker.claimPending(limit: 7, lease: .seconds(600))
                                        if batch.isEmpty { return mine }
                                        mine += batch.map(\.id)
                                    }
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
            let ids = try await store.registerDocuments([DocumentRegistration(source: "lease/a"), DocumentRegistration(source: "lease/b")])
            let clock = ContinuousClock()
            let start = clock.now
            // 15 s: long enough that the claims below run while it holds, even on a machine busy
            // with the rest of the suite (a 5 s lease once ran out between two claims).
            let first = try await store.claimPending(limit: 1, lease: .seconds(15))
            // The lease ran from some moment of that claim: at the latest, when it returned.
            let claimed = clock.now
            let other = try await store.claimPending(limit: 5, lease: .seconds(600))
            #expect(first.map(\.id) == [ids["lease/a"]!])
            let meanwhile = try await store.claimPending(limit: 5, lease: .seconds(600))
            if clock.now - start < .milliseconds(14_500) {
                // Only meaningful while the first lease surely runs (a loaded machine can be slow).
                #expect(other.map(\.id) == [ids["lease/b"]!])
                #expect(meanwhile.isEmpty)
            }
            try await Task.sleep(until: claimed + .milliseconds(15_500))
            let again = meanwhile.isEmpty ? try await store.claimPending(limit: 5, lease: .seconds(600)) : meanwhile
            #expect(again.map(\.id) == [ids["lease/a"]!])
            #expect(again.first.map { $0.leaseUntil > Date() } == true)
            // A renewed lease keeps the document; a loaded one leaves the queue for good.
            #expect(try await store.renewLeases([ids["lease/a"]!], lease: .seconds(120)) == 1)
            try await store.markLoaded([LoadedDocument(id: ids["lease/a"]!, sha256: "s", version: 1)])
            #expect(try await store.renewLeases([ids["lease/a"]!], lease: .seconds(120)) == 0)
            #expect(try await store.statusCounts()[.loaded] == 1)
            // A failed document comes back when requeued.
            try await store.markFailed([FailedDocument(id: ids["lease/b"]!, error: "boom")])
            #expect(try await store.claimPending(limit: 5, lease: .seconds(60)).isEmpty)
            #expect(try await store.requeue([ids["lease/b"]!]) == 1)
            #expect(try await store.claimPending(limit: 5, lease: .seconds(60)).map(\.id) == [ids["lease/b"]!])
        }
    }
}
