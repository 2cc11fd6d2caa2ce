@testable import Ingest
import Testing

/// `consume`'s rule for lost brokers, without a broker or a clock: the first failed call starts a
/// wait (from when it was made), later failures within `--broker-timeout` keep waiting, an answer
/// ends the wait, and silence for the whole limit gives up.
@Suite struct BrokerSilenceTests {
    let start = ContinuousClock.now

    @Test func failuresWaitUntilTheBrokersWereSilentForTheLimit() {
        var silence = BrokerSilence(limit: .seconds(60))
        #expect(silence.failed(called: start, at: start + .seconds(10)) == .startWaiting)
        #expect(silence.failed(called: start + .seconds(11), at: start + .seconds(21)) == .keepWaiting)
        #expect(silence.failed(called: start + .seconds(49), at: start + .seconds(59)) == .keepWaiting)
        #expect(silence.failed(called: start + .seconds(55), at: start + .seconds(60)) == .giveUp(silentFor: .seconds(60)))
    }

    @Test func anAnswerEndsTheWaitAndTheNextWaitCountsFromItsOwnFirstCall() {
        var silence = BrokerSilence(limit: .seconds(60))
        #expect(silence.answered(at: start + .seconds(5)) == nil, "no wait to end")
        #expect(silence.failed(called: start + .seconds(5), at: start + .seconds(15)) == .startWaiting)
        #expect(silence.answered(at: start + .seconds(50)) == .seconds(45))
        // Minutes without a broker call (a round loading) are not silence: the wait starts at the
        // failed call.
        #expect(silence.failed(called: start + .seconds(300), at: start + .seconds(310)) == .startWaiting)
        #expect(silence.failed(called: start + .seconds(311), at: start + .seconds(321)) == .keepWaiting)
        #expect(silence.failed(called: start + .seconds(350), at: start + .seconds(360)) == .giveUp(silentFor: .seconds(60)))
    }

    @Test func oneCallLongerThanTheLimitGivesUpAtOnce() {
        var silence = BrokerSilence(limit: .seconds(2))
        #expect(silence.failed(called: start, at: start + .seconds(3)) == .giveUp(silentFor: .seconds(3)))
    }
}
