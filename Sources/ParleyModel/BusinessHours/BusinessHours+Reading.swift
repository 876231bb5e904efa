extension BusinessHours {
    /// The limits of the business hours fields.
    public enum Limits {
        public static let nameLength = 1...100
        public static let intervalsPerDay = 24
        public static let specialDays = 1000
        public static let labelLength = 100
    }

    /// Reads and validates every field, reporting each problem at its path (`week.mon[1].close`,
    /// `special_days[2].date`); overlapping intervals are reported at the later one.
    public static func read(from reader: inout ParamReader) -> BusinessHours? {
        let issueCount = reader.issues.count
        let name = FamilyFieldReading.objectName("name", lengths: Limits.nameLength, in: &reader)
        let timezone = readTimezone(from: &reader)
        var week: [Weekday: [BusinessInterval]] = [:]
        var weekPaths: [Weekday: [String]] = [:]
        if var weekReader = reader.object("week", required: true) {
            for weekday in Weekday.allCases {
                let read = IntervalReading.intervals(weekday.rawValue, in: &weekReader)
                week[weekday] = read.map(\.interval)
                weekPaths[weekday] = read.map(\.path)
            }
            reader.absorb(weekReader)
        }
        let specialDays = SpecialDayReading.specialDays(from: &reader)
        guard reader.issues.count == issueCount, let name, let timezone else { return nil }
        let hours = BusinessHours(name: name, timezone: timezone, week: week, specialDays: specialDays.map(\.special))
        var overlaps = IntervalOverlaps(hours: hours, weekPaths: weekPaths, specialPaths: specialDays.map(\.paths))
        overlaps.report(into: &reader)
        return reader.issues.count == issueCount ? hours : nil
    }

    private static func readTimezone(from reader: inout ParamReader) -> String? {
        guard let raw = reader.string("timezone", required: true) else { return nil }
        let zone = TextRules.trimmed(raw)
        guard TimeZones.isIANAName(zone) else {
            reader.report("timezone", "must be an IANA time zone such as \"Europe/Prague\"")
            return nil
        }
        return zone
    }
}
