@testable import Ingest
import Registry
import Testing

@Suite struct EntityLedgerTests {
    @Test func aKeyKeepsItsNumberAndARenameAsksForRegisteringAndWritingAgain() {
        let ledger = EntityLedger()
        let paris = ledger.number(key: "geo:1", name: "Paris", type: "City")
        let berlin = ledger.number(key: "geo:2", name: "Berlin", type: "City")
        #expect(paris == 0 && berlin == 1)
        #expect(ledger.number(key: "geo:1", name: "Paris", type: "City") == paris)
        ledger.withEntries { entries in
            entries[Int(paris)].id = 7
            entries[Int(paris)].registered = true
            entries[Int(paris)].written = true
        }

        #expect(ledger.numbers(of: [("geo:2", "Berlin"), ("geo:1", "Paname")], key: \.0, name: \.1, type: { _ in "City" }) == [berlin, paris])
        let entry = ledger.withEntries { $0[Int(paris)] }
        #expect(entry.entity == EntityRegistration(key: "geo:1", name: "Paname", type: "City"))
        #expect(entry.id == 7, "a key keeps its registry id")
        #expect(!entry.registered && !entry.written)
    }

    @Test func mentionedEntitiesAreCountedOncePerRun() {
        let ledger = EntityLedger()
        let a = ledger.number(key: "a", name: "A", type: "T")
        let b = ledger.number(key: "b", name: "B", type: "T")
        #expect(ledger.recordMentionedByLoaded([a, a]) == 1)
        #expect(ledger.recordMentionedByLoaded([a, b]) == 1)
        _ = ledger.number(key: "a", name: "A renamed", type: "T")
        #expect(ledger.recordMentionedByLoaded([a, b]) == 0)
    }
}
