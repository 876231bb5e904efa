/// A day of the week as `business_hours.week` names it (`mon` ... `sun`), Monday first.
public enum Weekday: String, Sendable, Hashable, CaseIterable {
    case mon, tue, wed, thu, fri, sat, sun

    /// The weekday of day `day` counted from 1970-01-01 (a Thursday).
    public static func of(day: Int64) -> Weekday {
        let index = ((day + 3) % 7 + 7) % 7
        return allCases[Int(index)]
    }

    /// The day after this one (`sun` is followed by `mon`).
    public var next: Weekday {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}
