/// Reads `special_days`: each `{date, closed: true}` or `{date, intervals: [...]}`, with an
/// optional `label`; one per date.
enum SpecialDayReading {
    /// The special days read (sorted by date), each with the paths of its sorted intervals.
    static func specialDays(from reader: inout ParamReader) -> [(special: SpecialDay, paths: [String])] {
        guard let elements = reader.objectElements("special_days", maximumCount: BusinessHours.Limits.specialDays) else { return [] }
        var read: [(special: SpecialDay, paths: [String])] = []
        var seen: [Int64: Int] = [:]
        for (index, var element) in elements.enumerated() {
            if let found = specialDay(from: &element) {
                if let first = seen[found.special.day] {
                    element.report("date", "repeats special_days[\(first)].date")
                } else {
                    seen[found.special.day] = index
                    read.append(found)
                }
            }
            reader.absorb(element)
        }
        return read.sorted { $0.special.day < $1.special.day }
    }

    private static func specialDay(from reader: inout ParamReader) -> (special: SpecialDay, paths: [String])? {
        let issueCount = reader.issues.count
        var day: Int64?
        let date = reader.string("date", required: true)
        if let date {
            day = SpecialDay.dayNumber(date)
            if day == nil { reader.report("date", "must be a date YYYY-MM-DD") }
        }
        let closed = reader.bool("closed") ?? false
        let hasIntervals = reader.value("intervals").map { !$0.isNull && $0 != [] } ?? false
        let intervals = IntervalReading.intervals("intervals", in: &reader)
        if closed, hasIntervals {
            reader.report("intervals", "must be empty when closed is true")
        } else if !closed, !hasIntervals {
            reader.report("intervals", "must hold at least one interval, or set closed: true")
        }
        let label = FamilyFieldReading.optionalText("label", maximumLength: BusinessHours.Limits.labelLength, in: &reader)
        guard reader.issues.count == issueCount, let date, let day else { return nil }
        return (SpecialDay(date: date, day: day, intervals: closed ? [] : intervals.map(\.interval), label: label), intervals.map(\.path))
    }
}
