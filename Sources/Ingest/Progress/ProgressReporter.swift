import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The counters a run's progress line shows.
public struct ProgressSnapshot: Sendable, Equatable {
    public var documents: Int = 0
    /// Documents expected in all, when known (for the ETA).
    public var expectedDocuments: Int?
    public var bytes: Int64 = 0
    public var mentions: Int = 0
    public var skipped: Int = 0
    /// Documents claimed from the queue, and those met while another worker held them (still waited for).
    public var claimed: Int = 0
    public var heldByOthers: Int = 0
    public var deadLetters: Int = 0

    public init() {}
}

/// Writes progress to standard error: a live line that rewrites itself on a terminal, a plain
/// line every few seconds otherwise (logs and CI), so stdout stays free for `--json`.
///
/// Thread-safe: `update` may be called from any task; output is rate-limited.
public final class ProgressReporter: Sendable {
    private struct State: Sendable {
        var snapshot = ProgressSnapshot()
        var lastPrint: ContinuousClock.Instant
        var printedLive = false
    }

    private let label: String
    private let isTerminal: Bool
    private let interval: Duration
    private let started: ContinuousClock.Instant
    private let state: Mutex<State>
    private let enabled: Bool

    /// - Parameters:
    ///   - label: the command, printed at the start of each line.
    ///   - enabled: false silences it (`--quiet`).
    ///   - isTerminal: nil asks `isatty(2)`.
    public init(label: String, enabled: Bool = true, isTerminal: Bool? = nil) {
        self.label = label
        self.enabled = enabled
        let terminal = isTerminal ?? (isatty(STDERR_FILENO) == 1)
        self.isTerminal = terminal
        self.interval = terminal ? .milliseconds(200) : .seconds(5)
        let started = ContinuousClock.now
        self.started = started
        // The first line comes one interval in: short runs print only their summary.
        self.state = Mutex(State(lastPrint: started))
    }

    /// Applies a change to the counters and prints when the interval has passed.
    public func update(_ change: (inout ProgressSnapshot) -> Void) {
        let line: String? = state.withLock { state in
            change(&state.snapshot)
            let now = ContinuousClock.now
            guard enabled, now - state.lastPrint >= interval else { return nil }
            state.lastPrint = now
            state.printedLive = isTerminal
            return Self.format(label: label, snapshot: state.snapshot, elapsed: (now - started).seconds)
        }
        if let line {
            writeStandardError(isTerminal ? "\r\u{1B}[K" + line : line + "\n")
        }
    }

    /// The counters so far.
    public var snapshot: ProgressSnapshot { state.withLock { $0.snapshot } }

    /// Ends a live line so that what follows starts on a new line.
    public func finish() {
        let live = state.withLock { state in
            defer { state.printedLive = false }
            return state.printedLive
        }
        if enabled && live {
            writeStandardError("\n")
        }
    }

    /// One progress line: documents, MB, mentions, rate and, when the total is known, the ETA.
    public static func format(label: String, snapshot: ProgressSnapshot, elapsed: Double) -> String {
        let megabytes = Double(snapshot.bytes) / 1_000_000
        let rate = elapsed > 0 ? Double(snapshot.documents) / elapsed : 0
        var line = "\(label): \(snapshot.documents) documents, \(formatted(megabytes, digits: 1)) MB, \(snapshot.mentions) mentions"
        if snapshot.skipped > 0 { line += ", \(snapshot.skipped) unchanged" }
        if snapshot.claimed > 0 { line += ", \(snapshot.claimed) claimed" }
        if snapshot.heldByOthers > 0 { line += ", \(snapshot.heldByOthers) held by other workers" }
        if snapshot.deadLetters > 0 { line += ", \(snapshot.deadLetters) dead letters" }
        line += ", \(formatted(rate, digits: 1)) docs/s"
        if let expected = snapshot.expectedDocuments, rate > 0, expected > snapshot.documents {
            line += ", ETA \(Int((Double(expected - snapshot.documents) / rate).rounded()))s"
        }
        return line
    }
}

/// Formats a number with a fixed count of fraction digits, without Foundation.
func formatted(_ value: Double, digits: Int) -> String {
    guard value.isFinite else { return "-" }
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int64((abs(value) * scale).rounded())
    let whole = scaled / Int64(scale)
    var fraction = String(scaled % Int64(scale))
    while fraction.count < digits { fraction = "0" + fraction }
    let sign = value < 0 && scaled != 0 ? "-" : ""
    return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
}

/// Writes a string to standard error in full.
public func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}
