import Foundation
import Testing
@testable import Registry

@Suite struct PostgresParameterTests {
    @Test func arrayLiteralsQuoteAndEscape() {
        #expect(["a", "b c", "q\"uote", "back\\slash", "{brace},"].postgresText == #"{"a","b c","q\"uote","back\\slash","{brace},"}"#)
        #expect([Int64(1), nil, 3].postgresText == "{1,NULL,3}")
        #expect([Int64.min, -1, 0, 120, Int64.max].postgresText == "{-9223372036854775808,-1,0,120,9223372036854775807}")
        #expect([Int32(-45), 7].postgresText == "{-45,7}")
        #expect([String]().postgresText == "{}")
        #expect([true, false].postgresText == "{t,f}")
        #expect([Date(timeIntervalSince1970: 0), nil].postgresText == #"{"1970-01-01 00:00:00.000000+00",NULL}"#)
    }

    @Test func scalars() {
        #expect(true.postgresText == "t")
        #expect(Int64(-7).postgresText == "-7")
        #expect(String?.none.postgresText == nil)
        #expect(Double.infinity.postgresText == "Infinity")
    }

    @Test(arguments: [0.0, 1_700_000_000.123456, -86_400.5, 1_790_000_000])
    func timestampsRoundTrip(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = PostgresTimestamp.format(date)
        let parsed = try #require(PostgresTimestamp.parse(Array(text.utf8)))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test func parsesServerOutputWithOffsets() throws {
        let parsed = try #require(PostgresTimestamp.parse(Array("2026-11-27 21:14:54.5+02".utf8)))
        #expect(PostgresTimestamp.format(parsed) == "2026-11-27 19:14:54.500000+00")
        let utc = try #require(PostgresTimestamp.parse(Array("2026-11-27 21:14:54+00".utf8)))
        #expect(utc.timeIntervalSince1970 == 1_795_814_094)
    }

    @Test func decodesIntegersStrictly() {
        func decode(_ text: String) -> Int64? {
            Array(text.utf8).withUnsafeBufferPointer { Int64.decode(text: $0) }
        }
        #expect(decode("123") == 123)
        #expect(decode("-9223372036854775808") == Int64.min)
        #expect(decode("9223372036854775808") == nil)
        #expect(decode("12a") == nil)
        #expect(decode("") == nil)
        #expect(decode("-") == nil)
    }
}
