/// Finds overlapping intervals of business hours: within a day, and where an interval that
/// runs past midnight reaches into the next day's first interval (Sunday into Monday, and
/// around every special day, whose neighbours are known dates). Each overlap is reported at
/// the path of the interval that causes it.
struct IntervalOverlaps {
    let hours: BusinessHours
    /// The paths of each weekday's sorted intervals.
    let weekPaths: [Weekday: [String]]
    /// The paths of each special day's sorted intervals (in the order of `hours.specialDays`).
    let specialPaths: [[String]]

    /// One day's sorted intervals with their paths.
    private struct Day {
        var intervals: [BusinessInterval]
        var paths: [String]
        var name: String
    }

    mutating func report(into reader: inout ParamReader) {
        for weekday in Weekday.allCases {
            let day = weekDay(weekday)
            within(day, into: &reader)
            across(day, weekDay(weekday.next), into: &reader)
        }
        for (index, special) in hours.specialDays.enumerated() {
            let day = Day(intervals: special.intervals, paths: specialPaths[index], name: special.date)
            within(day, into: &reader)
            // The day before: a weekday's tail is reported at the special day's interval it hits.
            // (A special day before it is checked against this one as its next day, below.)
            if hours.specialDay(special.day - 1) == nil {
                let previous = weekDay(Weekday.of(day: special.day - 1))
                across(previous, day, reportAtNext: true, into: &reader)
            }
            across(day, dated(special.day + 1), into: &reader)
        }
    }

    private func weekDay(_ weekday: Weekday) -> Day {
        Day(intervals: hours.week[weekday] ?? [], paths: weekPaths[weekday] ?? [], name: weekday.rawValue)
    }

    /// The intervals that open on day `day`: its special day's, or its weekday's.
    private func dated(_ day: Int64) -> Day {
        if let index = hours.specialDays.firstIndex(where: { $0.day == day }) {
            return Day(intervals: hours.specialDays[index].intervals, paths: specialPaths[index], name: hours.specialDays[index].date)
        }
        return weekDay(Weekday.of(day: day))
    }

    private func within(_ day: Day, into reader: inout ParamReader) {
        var reach: (end: Int, index: Int)?
        for (index, interval) in day.intervals.enumerated() {
            if let reach, interval.open < reach.end {
                reader.reportPath(day.paths[index], "overlaps \(day.paths[reach.index]) (\(Self.describe(day.intervals[reach.index])))")
            }
            if reach == nil || interval.end > reach!.end { reach = (interval.end, index) }
        }
    }

    /// The part after midnight of `day`'s last-ending interval against `next`'s first interval.
    private func across(_ day: Day, _ next: Day, reportAtNext: Bool = false, into reader: inout ParamReader) {
        guard let last = day.intervals.indices.max(by: { day.intervals[$0].end < day.intervals[$1].end }),
            day.intervals[last].end > 1440, let first = next.intervals.first, first.open < day.intervals[last].end - 1440
        else { return }
        let tail = day.intervals[last]
        if reportAtNext {
            reader.reportPath(
                next.paths[0], "opens at \(BusinessInterval.text(first.open)) while \(day.paths[last]) (\(Self.describe(tail))) of the day before is still open"
            )
        } else {
            reader.reportPath(
                day.paths[last],
                "runs until \(BusinessInterval.text(tail.close)) on the next day (\(next.name)), after \(next.paths[0]) opens at \(BusinessInterval.text(first.open))"
            )
        }
    }

    static func describe(_ interval: BusinessInterval) -> String {
        "\(BusinessInterval.text(interval.open))-\(BusinessInterval.text(interval.close))"
    }
}
