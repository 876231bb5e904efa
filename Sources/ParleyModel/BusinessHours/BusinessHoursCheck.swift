/// The answer of `business_hours.check`: whether business hours are open at a moment and when
/// that next changes, computed in the wall-clock time of their zone (``WallClock`` says how
/// skipped and repeated wall times count).
public struct BusinessHoursCheck: Sendable, Hashable {
    /// How far ahead `nextChange` is looked for.
    public static let horizonDays: Int64 = 14

    /// The moment asked about.
    public var at: Timestamp
    public var open: Bool
    /// When `open` next flips, or nil when it does not within ``horizonDays`` days.
    public var nextChange: Timestamp?
    public var timezone: String
    /// `at` and `nextChange` as local wall-clock time with their offsets.
    public var localTime: String
    public var nextChangeLocal: String?

    /// Checks `hours` at `at`; nil when the zone is unknown to this machine.
    public static func check(_ hours: BusinessHours, at: Timestamp) -> BusinessHoursCheck? {
        guard let clock = WallClock(identifier: hours.timezone) else { return nil }
        let milliseconds = at.millisecondsSinceEpoch
        let second = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let spans = openSpans(hours, clock: clock, around: second)
        let current = spans.first { $0.start * 1000 <= milliseconds && milliseconds < $0.end * 1000 }
        let change = current?.end ?? spans.first { $0.start * 1000 > milliseconds }?.start
        let limit = milliseconds + horizonDays * 86_400_000
        let next = change.flatMap { $0 * 1000 <= limit ? $0 : nil }
        return BusinessHoursCheck(
            at: at, open: current != nil, nextChange: next.map { Timestamp(millisecondsSinceEpoch: $0 * 1000) },
            timezone: hours.timezone, localTime: clock.rfc3339(atSecond: second), nextChangeLocal: next.map(clock.rfc3339(atSecond:)))
    }

    /// The open spans (instants in seconds, half-open) from the day before `second`'s local date
    /// to past the horizon, sorted, touching spans merged, empty ones (inside a gap) dropped.
    static func openSpans(_ hours: BusinessHours, clock: WallClock, around second: Int64) -> [(start: Int64, end: Int64)] {
        let today = Self.floorDiv(clock.local(atSecond: second), 86_400)
        var spans: [(start: Int64, end: Int64)] = []
        for day in (today - 1)...(today + horizonDays + 2) {
            for interval in hours.intervals(onDay: day) {
                let start = clock.instant(ofLocal: day * 86_400 + Int64(interval.open) * 60)
                let end = clock.instant(ofLocal: day * 86_400 + Int64(interval.end) * 60)
                if start < end { spans.append((start, end)) }
            }
        }
        spans.sort { $0.start < $1.start }
        var merged: [(start: Int64, end: Int64)] = []
        for span in spans {
            if let last = merged.last, span.start <= last.end {
                merged[merged.count - 1].end = max(last.end, span.end)
            } else {
                merged.append(span)
            }
        }
        return merged
    }

    /// The wire form: `open`, `next_change` (RFC 3339 UTC or null), `timezone`, `at`,
    /// `local_time` and `next_change_local` (wall-clock time with offset).
    public var json: JSONValue {
        [
            "open": .bool(open), "next_change": .optional(nextChange?.rfc3339), "timezone": .string(timezone),
            "at": .string(at.rfc3339), "local_time": .string(localTime), "next_change_local": .optional(nextChangeLocal),
        ]
    }

    private static func floorDiv(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
