/// One opening interval of a day: from `open` to `close`, in minutes after the day's midnight
/// (local wall-clock time of the business hours' zone).
///
/// `close` is 1-1440 (`"24:00"` is midnight at the end of the day). A `close` at or before
/// `open` ends on the next day (`22:00`-`06:00`); `"00:00"` as a close is stored as `"24:00"`.
/// An interval never lasts 24 hours or more, so `close == open` is refused.
public struct BusinessInterval: Sendable, Hashable, Comparable {
    /// Minutes after midnight, 0-1439.
    public var open: Int
    /// Minutes after midnight, 1-1440; at or before `open` when the interval ends the next day.
    public var close: Int

    public init(open: Int, close: Int) {
        self.open = open
        self.close = close
    }

    /// Whether the interval ends after midnight, on the next day.
    public var endsNextDay: Bool { close <= open }

    /// The end in minutes after the opening day's midnight (beyond 1440 when it ends the next day).
    public var end: Int { endsNextDay ? close + 1440 : close }

    /// The wire form: `{"open": "HH:MM", "close": "HH:MM"}`.
    public var json: JSONValue {
        ["open": .string(Self.text(open)), "close": .string(Self.text(close))]
    }

    public static func < (lhs: BusinessInterval, rhs: BusinessInterval) -> Bool {
        (lhs.open, lhs.close) < (rhs.open, rhs.close)
    }

    /// `"HH:MM"` of `minutes` (0-1440).
    public static func text(_ minutes: Int) -> String {
        let hours = minutes / 60, rest = minutes % 60
        return (hours < 10 ? "0" : "") + "\(hours):" + (rest < 10 ? "0" : "") + "\(rest)"
    }

    /// The minutes of a `"HH:MM"` text (two digits each), allowing `"24:00"` when `allowingMidnightEnd`.
    public static func minutes(_ text: String, allowingMidnightEnd: Bool) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":") else { return nil }
        let digits = [bytes[0], bytes[1], bytes[3], bytes[4]]
        guard digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        let hours = values[0] * 10 + values[1], minutes = values[2] * 10 + values[3]
        if allowingMidnightEnd, hours == 24, minutes == 0 { return 1440 }
        guard hours < 24, minutes < 60 else { return nil }
        return hours * 60 + minutes
    }
}
