import Foundation
import Logging

/// A swift-log handler that writes one line per event to standard error: readable text, or one
/// JSON object per line for log collectors (`--log-format json`).
///
/// Text, in the style of the CLI's other stderr lines: `graphingest ingest: warning: extract failed: … (source=a.txt)`.
/// JSON: `{"time":"…","level":"info","label":"ingest","message":"claimed documents","count":"32",…}`.
/// Metadata values are printed as given: callers never put credentials in them (connection
/// strings are redacted before they are logged).
public struct LogLineHandler: LogHandler {
    /// How lines look.
    public enum Format: String, Sendable, CaseIterable {
        case text, json
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String
    private let format: Format
    private let write: @Sendable (String) -> Void

    /// - Parameter write: where lines go (standard error by default; tests collect them).
    public init(label: String, format: Format, level: Logger.Level,
                write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        write(Self.line(time: Date(), level: event.level, label: label, message: "\(event.message)", metadata: merged, format: format))
    }

    /// One event as a line.
    public static func line(time: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata, format: Format) -> String {
        let fields = metadata.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }
        switch format {
        case .text:
            // The style of the CLI's other stderr lines; collectors take JSON.
            let extra = fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            let severity = level >= .warning ? "\(level): " : ""
            return "graphingest \(label): \(severity)\(message)" + (extra.isEmpty ? "" : " (" + extra + ")")
        case .json:
            let timestamp = time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
            var object: [(String, String)] = [("time", timestamp), ("level", "\(level)"), ("label", label), ("message", message)]
            object += fields.filter { !["time", "level", "label", "message"].contains($0.0) }
            return "{" + object.map { "\(JSONText.quoted($0.0)):\(JSONText.quoted($0.1))" }.joined(separator: ",") + "}"
        }
    }
}

/// JSON text helpers shared by the log lines and the CLI's JSON output.
public enum JSONText {
    /// `text` as a JSON string literal (quotes, backslashes and control characters escaped).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
