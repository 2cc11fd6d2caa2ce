import Ingest
import Logging
import Synchronization
import Telemetry

/// How stderr lines go out: as they are (text), or as JSON log events (`--log-format json`).
enum StandardErrorFormat {
    static let json = Atomic<Bool>(false)

    /// Sets up swift-log for the process (once, before the command runs).
    static func bootstrap(format: LogLineHandler.Format, level: Logger.Level) {
        json.store(format == .json, ordering: .relaxed)
        Telemetry.bootstrapLogging(format: format, level: level)
    }
}

/// Writes one line to standard error (progress and messages never go to stdout); a JSON log
/// event at `level` instead when the logs are JSON.
func printError(_ message: String, level: Logger.Level = .info) {
    if StandardErrorFormat.json.load(ordering: .relaxed) {
        Logger(label: "graphingest").log(level: level, "\(message)")
    } else {
        writeStandardError(message + "\n")
    }
}
