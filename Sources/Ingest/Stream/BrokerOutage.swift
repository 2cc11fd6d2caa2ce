import Kafka
import Logging
import Synchronization

/// How long `consume`'s brokers have been silent, and whether to wait for them longer. Pure: the
/// caller passes the times, so the rules are tested without a broker or a clock.
///
/// A wait starts when the first call that failed was made, not at the last answer: a round may
/// load for minutes without asking a broker anything, and that quiet is not an outage.
struct BrokerSilence: Sendable {
    /// What to do after a broker call found no broker.
    enum Decision: Sendable, Equatable {
        /// The first failure since the last answer: say that the run waits, then call again.
        case startWaiting
        /// A wait under way, still within the limit: call again.
        case keepWaiting
        /// Silent for the limit or longer: stop the run.
        case giveUp(silentFor: Duration)
    }

    /// How long the brokers may stay silent (`--broker-timeout`).
    let limit: Duration
    /// When the first call of the wait under way was made; nil while the brokers answer.
    private(set) var silentSince: ContinuousClock.Instant?

    init(limit: Duration) {
        self.limit = limit
    }

    /// A broker answered. Returns how long the brokers had been silent when this ends a wait.
    mutating func answered(at now: ContinuousClock.Instant) -> Duration? {
        defer { silentSince = nil }
        return silentSince.map { now - $0 }
    }

    /// A broker call made at `called` found no broker (it timed out at `now`, or every
    /// connection is down).
    mutating func failed(called: ContinuousClock.Instant, at now: ContinuousClock.Instant) -> Decision {
        let starts = silentSince == nil
        let since = silentSince ?? called
        silentSince = since
        if now - since >= limit { return .giveUp(silentFor: now - since) }
        return starts ? .startWaiting : .keepWaiting
    }
}

/// Rides out a lost broker: every broker call of `consume` after its start goes through
/// ``reaching(_:_:)``, which calls again, once a second, a call that finds no broker, until the
/// brokers have been silent for ``ConsumeOptions/brokerTimeout``. Then the run stops with
/// ``IngestError`` `unreachable` naming them (exit 3); what it loaded and did not commit is read
/// again by the next run and found unchanged. A stop asked during the wait ends it at once, with
/// the same error: the offsets could not be committed.
final class BrokerOutage: Sendable {
    let brokers: String
    /// One broker call's own timeout: 5 s (a slow answer is asked again), or the whole wait when that is shorter.
    let requestTimeout: Duration
    private let stop: ConsumeStopSignal
    private let silence: Mutex<BrokerSilence>

    private var logger: Logger { Logger(label: "consume") }

    init(brokers: String, limit: Duration, stop: ConsumeStopSignal) {
        self.brokers = brokers
        self.stop = stop
        requestTimeout = min(.seconds(5), max(.milliseconds(100), limit))
        silence = Mutex(BrokerSilence(limit: limit))
    }

    /// Runs `call`, and again while it fails with ``KafkaError/Code/unreachable`` and the wait
    /// allows.
    /// - Throws: ``IngestError`` `unreachable` when the brokers stayed silent too long (or a stop
    ///   was asked meanwhile); any other error of `call` as it is.
    func reaching<T: Sendable>(_ operation: String, _ call: () async throws -> T) async throws -> T {
        while true {
            let called = ContinuousClock.now
            do {
                let result = try await call()
                if let silent = silence.withLock({ $0.answered(at: .now) }) {
                    logger.notice("Kafka brokers \(brokers) answer again after \(formatted(silent.seconds, digits: 1)) s")
                }
                return result
            } catch let error as KafkaError where error.code == .unreachable {
                let decision = silence.withLock { $0.failed(called: called, at: .now) }
                let limit = silence.withLock { $0.limit }
                switch decision {
                case .giveUp(let silent):
                    throw IngestError(.unreachable, "Kafka brokers \(brokers) did not answer for \(formatted(silent.seconds, digits: 1)) s "
                        + "(--broker-timeout \(formatted(limit.seconds, digits: 1)) s; \(operation): \(error.message)); "
                        + "a rerun continues from the last committed offsets")
                case .startWaiting:
                    logger.warning("""
                        Kafka brokers \(brokers) do not answer (\(operation): \(error.message)); \
                        waiting up to \(formatted(limit.seconds, digits: 1)) s for them (--broker-timeout)
                        """)
                case .keepWaiting:
                    break
                }
                if stop.isStopped {
                    throw IngestError(.unreachable, "stopped while the Kafka brokers \(brokers) did not answer (\(operation): \(error.message)); "
                        + "a rerun continues from the last committed offsets")
                }
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
