import Foundation

/// The page's text: HTML escaping and number formats that never depend on the locale or the
/// clock, so one value always renders to the same bytes.
enum ReportText {
    /// `text` safe in element content and in quoted attribute values.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            // Control characters other than tab and line feed are not allowed in HTML text.
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// `text` cut to `limit` characters, with an ellipsis when cut: a server's message can be
    /// long, and the page's size must not follow it.
    static func clipped(_ text: String, to limit: Int = 400) -> String {
        text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// An integer with thousands separated by commas: `1,234,567`.
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    /// A number with `digits` decimals, rounded half away from zero (no locale).
    static func decimal(_ value: Double, digits: Int = 1) -> String {
        guard value.isFinite else { return "–" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        let whole = Int(scaled / scale)
        let fraction = Int(scaled) - whole * Int(scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + integer(whole) }
        let fractionText = String(fraction)
        return sign + integer(whole) + "." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// A coordinate for SVG: one decimal, no grouping.
    static func coordinate(_ value: Double) -> String {
        decimal(value).replacingOccurrences(of: ",", with: "")
    }

    /// Bytes in binary units: `512 B`, `1.5 KiB`, `20.0 MiB`.
    static func bytes(_ value: Int) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard value >= 1024 else { return "\(value) B" }
        var amount = Double(value) / 1024
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return decimal(amount) + " " + units[unit]
    }

    /// A date in UTC, to the second: `2026-12-07 12:00:46 UTC`.
    static func date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) UTC"
    }

    /// A `<time>` element for `date`: machine-readable, and kept on one line.
    static func time(_ date: Date) -> String {
        let text = self.date(date)
        let iso = text.replacingOccurrences(of: " UTC", with: "Z").replacingOccurrences(of: " ", with: "T")
        return "<time datetime=\"\(iso)\">\(text)</time>"
    }

    /// A fragment id made of `prefix` and `name`, kept to letters, digits, `-` and `_`.
    static func anchor(_ prefix: String, _ name: String) -> String {
        prefix + "-" + String(name.unicodeScalars.map { scalar in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_") ? Character(scalar) : "_"
        })
    }
}
