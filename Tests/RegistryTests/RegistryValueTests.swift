import Foundation
import Testing
@testable import Registry

@Suite struct RegistryValueTests {
    @Test func schemaNamesAreValidated() throws {
        #expect(try RegistrySchema("graphingest_test_1").quoted == "\"graphingest_test_1\"")
        for bad in ["", "1abc", "Upper", "a-b", "a;drop", "x\"y", String(repeating: "a", count: 64)] {
            #expect(throws: RegistryError.self) { try RegistrySchema(bad) }
        }
        #expect(RegistrySchema.standard.sql("SELECT 1 FROM {schema}.documents") == "SELECT 1 FROM \"graphingest\".documents")
        #expect(RegistrySchema.standard.sql("{schema}.a JOIN {schema}.b -- é {schem {schema}")
                == "\"graphingest\".a JOIN \"graphingest\".b -- é {schem \"graphingest\"")
    }

    @Test func settingsNeverShowThePassword() {
        let keyword = RegistryConnectionSettings(conninfo: "host=db user=app password=s3cr3t-pw dbname=x")
        #expect(!keyword.description.contains("s3cr3t-pw"))
        #expect(keyword.description.contains("host=db"))
        let url = RegistryConnectionSettings(conninfo: "postgresql://app:p%40ss-word@db:5432/x")
        #expect(!url.description.contains("p%40ss-word"))
        #expect(!url.scrub("failed for p@ss-word").contains("p@ss-word"))
    }

    @Test func errorDescriptionKeepsDetailForDebugOnly() {
        let error = RegistryError(
            .server, operation: "registerDocuments", message: "duplicate key value violates unique constraint",
            sqlState: "23505", detail: "Key (source)=(secret/path.txt) already exists.")
        #expect(error.description == "registry registerDocuments failed (server, SQLSTATE 23505): duplicate key value violates unique constraint")
        #expect(!error.description.contains("secret/path.txt"))
        #expect(error.debugDescription.contains("secret/path.txt"))
    }

    @Test func jsonRoundTrips() throws {
        let value: RegistryJSON = ["documents": 12, "rate": 1.5, "ok": true, "name": "a\"b", "list": [1, nil]]
        #expect(try RegistryJSON(parsing: value.description) == value)
        #expect(value.description == #"{"documents":12,"list":[1,null],"name":"a\"b","ok":true,"rate":1.5}"#)
    }
}
