import Bolt
import Testing

@Suite struct BoltHandshakeTests {
    @Test func requestOffersFiveRangeThenFourFour() {
        #expect(BoltHandshake.request == [
            0x60, 0x60, 0xB0, 0x17,
            0x00, 0x08, 0x08, 0x05,
            0x00, 0x00, 0x04, 0x04,
            0x00, 0x00, 0x00, 0x00,
            0x00, 0x00, 0x00, 0x00,
        ])
    }

    @Test func offeredVersions() {
        for minor in UInt8(0)...8 {
            #expect(BoltHandshake.offers(BoltVersion(major: 5, minor: minor)))
        }
        #expect(BoltHandshake.offers(BoltVersion(major: 4, minor: 4)))
        #expect(!BoltHandshake.offers(BoltVersion(major: 4, minor: 3)))
        #expect(!BoltHandshake.offers(BoltVersion(major: 5, minor: 9)))
    }

    @Test func responseParsing() {
        #expect(BoltHandshake.version(fromResponse: [0, 0, 4, 5]) == BoltVersion(major: 5, minor: 4))
        #expect(BoltHandshake.version(fromResponse: [0, 0, 0, 0]) == nil)
    }
}
