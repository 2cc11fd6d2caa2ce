import Foundation

/// A date: structure `D` (`0x44`), days since 1970-01-01.
///
/// See https://neo4j.com/docs/bolt/current/bolt/structure-semantics/#structure-date.
public struct PackStreamDate: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.date
    /// Days since 1970-01-01 (negative before it).
    public var days: Int64

    /// Creates a value from its parts.
    public init(days: Int64) { self.days = days }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 1, let days = fields.integer(at: 0) else { return nil }
        self.init(days: days)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(days)] }
    public var description: String { PackStreamCalendar.dateString(days: days) }
}

/// A time of day with an offset: structure `T` (`0x54`).
public struct PackStreamTime: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.time
    /// Nanoseconds since midnight (local time).
    public var nanoseconds: Int64
    /// The offset from UTC in seconds (east is positive).
    public var offsetSeconds: Int64

    /// Creates a value from its parts.
    public init(nanoseconds: Int64, offsetSeconds: Int64) {
        self.nanoseconds = nanoseconds
        self.offsetSeconds = offsetSeconds
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 2, let nanoseconds = fields.integer(at: 0), let offset = fields.integer(at: 1) else { return nil }
        self.init(nanoseconds: nanoseconds, offsetSeconds: offset)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(nanoseconds), .integer(offsetSeconds)] }
    public var description: String {
        PackStreamCalendar.timeString(nanoseconds: nanoseconds) + PackStreamCalendar.offsetString(offsetSeconds)
    }
}

/// A time of day without a zone: structure `t` (`0x74`).
public struct PackStreamLocalTime: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.localTime
    /// Nanoseconds since midnight.
    public var nanoseconds: Int64

    /// Creates a value from its parts.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 1, let nanoseconds = fields.integer(at: 0) else { return nil }
        self.init(nanoseconds: nanoseconds)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(nanoseconds)] }
    public var description: String { PackStreamCalendar.timeString(nanoseconds: nanoseconds) }
}

/// An instant with a fixed offset: structure `I` (`0x49`, Bolt 5 and 4.4 with the `utc` patch),
/// whose seconds count from the epoch in UTC. The 4.4 legacy form `F` (`0x46`), whose seconds
/// count in local time, decodes into the same type.
///
/// See https://neo4j.com/docs/bolt/current/bolt/structure-semantics/#structure-datetime.
public struct PackStreamDateTime: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.dateTime
    /// Seconds since the epoch, UTC.
    public var seconds: Int64
    /// Nanoseconds within the second.
    public var nanoseconds: Int64
    /// The offset from UTC in seconds (east is positive).
    public var offsetSeconds: Int64

    /// Creates a value from its parts.
    public init(seconds: Int64, nanoseconds: Int64, offsetSeconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.offsetSeconds = offsetSeconds
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 3, let seconds = fields.integer(at: 0), let nanoseconds = fields.integer(at: 1),
              let offset = fields.integer(at: 2)
        else { return nil }
        self.init(seconds: seconds, nanoseconds: nanoseconds, offsetSeconds: offset)
    }

    /// Reads the legacy `F` form, whose seconds are local (UTC plus the offset).
    public init?(legacyFields fields: [PackStreamValue]) {
        guard let value = Self(fields: fields) else { return nil }
        let (utc, overflow) = value.seconds.subtractingReportingOverflow(value.offsetSeconds)
        guard !overflow else { return nil }
        self.init(seconds: utc, nanoseconds: value.nanoseconds, offsetSeconds: value.offsetSeconds)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(seconds), .integer(nanoseconds), .integer(offsetSeconds)] }

    /// The fields of the legacy `F` form (local seconds), for 4.4 servers without the `utc` patch.
    public var legacyFields: [PackStreamValue] {
        [.integer(seconds &+ offsetSeconds), .integer(nanoseconds), .integer(offsetSeconds)]
    }

    public var description: String {
        PackStreamCalendar.dateTimeString(seconds: seconds &+ offsetSeconds, nanoseconds: nanoseconds)
            + PackStreamCalendar.offsetString(offsetSeconds)
    }
}

/// An instant in a named zone: structure `i` (`0x69`), seconds since the epoch in UTC. The 4.4
/// legacy form `f` (`0x66`, local seconds) decodes into the same type when the zone is known.
public struct PackStreamDateTimeZoneId: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.dateTimeZoneId
    /// Seconds since the epoch, UTC.
    public var seconds: Int64
    /// Nanoseconds within the second.
    public var nanoseconds: Int64
    /// An IANA zone name such as `Europe/Paris`.
    public var zoneId: String

    /// Creates a value from its parts.
    public init(seconds: Int64, nanoseconds: Int64, zoneId: String) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.zoneId = zoneId
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 3, let seconds = fields.integer(at: 0), let nanoseconds = fields.integer(at: 1),
              let zoneId = fields.string(at: 2)
        else { return nil }
        self.init(seconds: seconds, nanoseconds: nanoseconds, zoneId: zoneId)
    }

    /// Reads the legacy `f` form (local seconds); nil when the zone is unknown here.
    public init?(legacyFields fields: [PackStreamValue]) {
        guard let local = Self(fields: fields), let zone = TimeZone(identifier: local.zoneId),
              abs(local.seconds) < 1 << 40
        else { return nil }
        // The offset depends on the instant we are looking for: guess with the local time, then
        // correct once (enough except inside a transition gap).
        var utc = local.seconds - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(local.seconds))))
        utc = local.seconds - Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(utc))))
        self.init(seconds: utc, nanoseconds: local.nanoseconds, zoneId: local.zoneId)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(seconds), .integer(nanoseconds), .string(zoneId)] }

    /// The offset from UTC at this instant, when the zone is known here.
    public var offsetSeconds: Int64? {
        guard let zone = TimeZone(identifier: zoneId), abs(seconds) < 1 << 40 else { return nil }
        return Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds))))
    }

    /// The fields of the legacy `f` form (local seconds).
    public var legacyFields: [PackStreamValue] {
        [.integer(seconds &+ (offsetSeconds ?? 0)), .integer(nanoseconds), .string(zoneId)]
    }

    public var description: String {
        PackStreamCalendar.dateTimeString(seconds: seconds &+ (offsetSeconds ?? 0), nanoseconds: nanoseconds) + "[\(zoneId)]"
    }
}

/// A date and time without a zone: structure `d` (`0x64`).
public struct PackStreamLocalDateTime: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.localDateTime
    /// Seconds since 1970-01-01T00:00 of the local calendar.
    public var seconds: Int64
    /// Nanoseconds within the second.
    public var nanoseconds: Int64

    /// Creates a value from its parts.
    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 2, let seconds = fields.integer(at: 0), let nanoseconds = fields.integer(at: 1) else { return nil }
        self.init(seconds: seconds, nanoseconds: nanoseconds)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(seconds), .integer(nanoseconds)] }
    public var description: String { PackStreamCalendar.dateTimeString(seconds: seconds, nanoseconds: nanoseconds) }
}

/// A duration: structure `E` (`0x45`), months, days, seconds and nanoseconds kept apart.
public struct PackStreamDuration: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.duration
    /// Whole months (calendar units, kept apart from days).
    public var months: Int64
    /// Whole days (kept apart from seconds: a day is not always 86,400 s).
    public var days: Int64
    /// Seconds.
    public var seconds: Int64
    /// Nanoseconds within the second.
    public var nanoseconds: Int64

    /// Creates a value from its parts.
    public init(months: Int64, days: Int64, seconds: Int64, nanoseconds: Int64) {
        self.months = months
        self.days = days
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 4, let months = fields.integer(at: 0), let days = fields.integer(at: 1),
              let seconds = fields.integer(at: 2), let nanoseconds = fields.integer(at: 3)
        else { return nil }
        self.init(months: months, days: days, seconds: seconds, nanoseconds: nanoseconds)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(months), .integer(days), .integer(seconds), .integer(nanoseconds)] }
    public var description: String { "P\(months)M\(days)DT\(seconds).\(nanoseconds)S" }
}

/// A point in two dimensions: structure `X` (`0x58`).
public struct PackStreamPoint2D: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.point2D
    /// The coordinate reference system (7203 cartesian, 4326 WGS-84).
    public var srid: Int64
    /// The x.
    public var x: Double
    /// The y.
    public var y: Double

    /// Creates a value from its parts.
    public init(srid: Int64, x: Double, y: Double) {
        self.srid = srid
        self.x = x
        self.y = y
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 3, let srid = fields.integer(at: 0), let x = fields.float(at: 1), let y = fields.float(at: 2) else { return nil }
        self.init(srid: srid, x: x, y: y)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(srid), .float(x), .float(y)] }
    public var description: String { "point({srid: \(srid), x: \(x), y: \(y)})" }
}

/// A point in three dimensions: structure `Y` (`0x59`).
public struct PackStreamPoint3D: PackStreamStructureType {
    /// The structure tag this type decodes from and encodes to.
    public static let tag = PackStreamTag.point3D
    /// The srid.
    public var srid: Int64
    /// The x.
    public var x: Double
    /// The y.
    public var y: Double
    /// The z.
    public var z: Double

    /// Creates a value from its parts.
    public init(srid: Int64, x: Double, y: Double, z: Double) {
        self.srid = srid
        self.x = x
        self.y = y
        self.z = z
    }

    /// Reads the structure's fields; nil when their count or types do not match the spec.
    public init?(fields: [PackStreamValue]) {
        guard fields.count == 4, let srid = fields.integer(at: 0), let x = fields.float(at: 1), let y = fields.float(at: 2),
              let z = fields.float(at: 3)
        else { return nil }
        self.init(srid: srid, x: x, y: y, z: z)
    }

    /// The fields, in the spec's order.
    public var fields: [PackStreamValue] { [.integer(srid), .float(x), .float(y), .float(z)] }
    public var description: String { "point({srid: \(srid), x: \(x), y: \(y), z: \(z)})" }
}

/// Proleptic Gregorian rendering for descriptions (no Foundation calendar, no allocation of one).
enum PackStreamCalendar {
    /// Howard Hinnant's civil-from-days.
    static func dateString(days: Int64) -> String {
        let z = days.addingReportingOverflow(719_468)
        guard !z.overflow, abs(days) < 1 << 40 else { return "date(\(days) days)" }
        let era = (z.partialValue >= 0 ? z.partialValue : z.partialValue - 146_096) / 146_097
        let doe = z.partialValue - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return "\(year)-" + pad(month) + "-" + pad(day)
    }

    static func timeString(nanoseconds: Int64) -> String {
        let seconds = nanoseconds / 1_000_000_000
        let fraction = nanoseconds % 1_000_000_000
        var text = pad(seconds / 3600) + ":" + pad(seconds / 60 % 60) + ":" + pad(seconds % 60)
        if fraction != 0 { text += "." + String(String(fraction + 1_000_000_000).dropFirst()) }
        return text
    }

    static func dateTimeString(seconds: Int64, nanoseconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let rest = seconds - days * 86400
        return dateString(days: days) + "T" + timeString(nanoseconds: rest * 1_000_000_000 + nanoseconds % 1_000_000_000)
    }

    static func offsetString(_ offset: Int64) -> String {
        if offset == 0 { return "Z" }
        let magnitude = abs(offset)
        return (offset < 0 ? "-" : "+") + pad(magnitude / 3600) + ":" + pad(magnitude / 60 % 60)
    }

    private static func pad(_ value: Int64) -> String {
        value < 10 && value >= 0 ? "0\(value)" : String(value)
    }
}
