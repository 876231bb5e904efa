/// The opening hours of a tenant's contact center (family `business_hours`): a week of
/// intervals and dated exceptions, in the wall-clock time of one IANA zone. Groups and
/// WhatsApp numbers refer to one in `business_hours_id`; `business_hours.check` says whether
/// they are open at a moment.
public struct BusinessHours: ResourceContent, Hashable {
    public static let kind = ResourceKind.businessHours

    /// 1-100 characters, unique in the tenant ignoring case (the natural key of export/apply).
    public var name: String
    /// An IANA zone name (`Europe/Prague`); the intervals are its wall-clock times.
    public var timezone: String
    /// The intervals of each weekday, sorted by opening time, non-overlapping (a day absent: closed).
    public var week: [Weekday: [BusinessInterval]]
    /// Dated exceptions, sorted by date, one per date.
    public var specialDays: [SpecialDay]

    public init(name: String, timezone: String, week: [Weekday: [BusinessInterval]] = [:], specialDays: [SpecialDay] = []) {
        self.name = name
        self.timezone = timezone
        self.week = week.filter { !$0.value.isEmpty }.mapValues { $0.sorted() }
        self.specialDays = specialDays.sorted { $0.day < $1.day }
    }

    public var fields: [String: JSONValue] {
        var days: [String: JSONValue] = [:]
        for weekday in Weekday.allCases { days[weekday.rawValue] = .array((week[weekday] ?? []).map(\.json)) }
        return [
            "name": .string(name),
            "timezone": .string(timezone),
            "week": .object(days),
            "special_days": .array(specialDays.map(\.json)),
        ]
    }

    /// The intervals that open on day `day` (days since 1970-01-01, local): the special day's
    /// when there is one, else the weekday's.
    public func intervals(onDay day: Int64) -> [BusinessInterval] {
        specialDay(day)?.intervals ?? week[Weekday.of(day: day)] ?? []
    }

    /// The special day on day `day`, if any.
    public func specialDay(_ day: Int64) -> SpecialDay? {
        specialDays.first { $0.day == day }
    }

    public var nameKey: String { name.lowercased() }

    /// The name, unique in the tenant ignoring case.
    public var uniqueKeys: [UniqueKey] {
        [UniqueKey(name: "name", value: nameKey, field: "name", message: "business hours named \"\(name)\" already exist")]
    }
}
