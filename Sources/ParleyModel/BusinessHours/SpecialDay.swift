/// A date whose hours differ from its weekday's (a holiday, a short day): family
/// `business_hours`, member `special_days`.
///
/// It replaces the intervals that open on `date`; an interval that opened the day before and
/// runs past midnight is not cut short by it (it belongs to the day it opened).
public struct SpecialDay: Sendable, Hashable {
    /// `YYYY-MM-DD`, a real calendar date.
    public var date: String
    /// Days since 1970-01-01 of `date`.
    public var day: Int64
    /// The intervals of the date, sorted; empty when the business is closed all day.
    public var intervals: [BusinessInterval]
    /// At most 100 characters (`Christmas Eve`).
    public var label: String?

    public init(date: String, day: Int64, intervals: [BusinessInterval], label: String? = nil) {
        self.date = date
        self.day = day
        self.intervals = intervals
        self.label = label
    }

    /// Whether the business is closed the whole date.
    public var closed: Bool { intervals.isEmpty }

    /// The wire form; `closed` and `intervals` both present (`intervals` empty when closed).
    public var json: JSONValue {
        [
            "date": .string(date), "closed": .bool(closed), "intervals": .array(intervals.map(\.json)),
            "label": .optional(label),
        ]
    }

    /// The day number of a `YYYY-MM-DD` date, or nil when it is not a real date.
    public static func dayNumber(_ date: String) -> Int64? {
        guard date.utf8.count == 10, let midnight = Timestamp(rfc3339: date + "T00:00:00Z") else { return nil }
        return midnight.millisecondsSinceEpoch / 86_400_000
    }

    /// The `YYYY-MM-DD` text of day `day` counted from 1970-01-01.
    public static func dateText(_ day: Int64) -> String {
        String(Timestamp(millisecondsSinceEpoch: day * 86_400_000).rfc3339.prefix(10))
    }
}
