import Testing

@testable import ParleyModel

/// `business_hours.check` at the Europe/Prague switch days: 2026-03-29 02:00 CET -> 03:00 CEST
/// (01:00Z) and 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z); both are Sundays.
@Suite struct BusinessHoursCheckTests {
    private func hours(_ week: [Weekday: [BusinessInterval]], special: [SpecialDay] = [], zone: String = "Europe/Prague") -> BusinessHours {
        BusinessHours(name: "Office", timezone: zone, week: week, specialDays: special)
    }

    private func at(_ hhmm: String, close: String) -> BusinessInterval {
        BusinessInterval(
            open: BusinessInterval.minutes(hhmm, allowingMidnightEnd: false)!, close: BusinessInterval.minutes(close, allowingMidnightEnd: true)!)
    }

    private func check(_ hours: BusinessHours, _ time: String) throws -> BusinessHoursCheck {
        let moment = try #require(Timestamp(rfc3339: time))
        return try #require(BusinessHoursCheck.check(hours, at: moment))
    }

    @Test func aCloseInTheSkippedHourIsWhenTheClocksJump() throws {
        let result = try check(hours([.sun: [at("00:00", close: "02:30")]]), "2026-03-29T00:30:00Z")  // 01:30 CET
        #expect(result.open)
        #expect(result.nextChange?.rfc3339 == "2026-03-29T01:00:00.000Z")
        #expect(result.nextChangeLocal == "2026-03-29T03:00:00+02:00")
        #expect(result.localTime == "2026-03-29T01:30:00+01:00")
    }

    @Test func anOpeningInTheSkippedHourIsWhenTheClocksJump() throws {
        let result = try check(hours([.sun: [at("02:30", close: "05:00")]]), "2026-03-29T00:30:00Z")
        #expect(!result.open)
        #expect(result.nextChange?.rfc3339 == "2026-03-29T01:00:00.000Z")
        let later = try check(hours([.sun: [at("02:30", close: "05:00")]]), "2026-03-29T01:00:00Z")
        #expect(later.open && later.nextChange?.rfc3339 == "2026-03-29T03:00:00.000Z")  // 05:00 CEST
    }

    @Test func anIntervalInsideTheSkippedHourNeverOpensThatDay() throws {
        let result = try check(hours([.sun: [at("02:15", close: "02:45")]]), "2026-03-28T23:30:00Z")
        #expect(!result.open)
        #expect(result.nextChangeLocal == "2026-04-05T02:15:00+02:00")
    }

    @Test func aNightAcrossTheSpringSwitchIsAnHourShorter() throws {
        let night = hours([.sat: [at("22:00", close: "06:00")]])
        let result = try check(night, "2026-03-29T02:00:00Z")  // 04:00 CEST
        #expect(result.open && result.nextChange?.rfc3339 == "2026-03-29T04:00:00.000Z")
        #expect(try check(night, "2026-03-28T21:00:00Z").open)  // 22:00 CET
        #expect(try !check(night, "2026-03-28T20:59:59Z").open)
    }

    @Test func aCloseInTheRepeatedHourIsItsFirstOccurrence() throws {
        let early = hours([.sun: [at("00:00", close: "02:30")]])
        let inside = try check(early, "2026-10-25T00:15:00Z")  // 02:15 CEST
        #expect(inside.open && inside.nextChange?.rfc3339 == "2026-10-25T00:30:00.000Z")
        let repeated = try check(early, "2026-10-25T01:15:00Z")  // 02:15 CET, the second time
        #expect(!repeated.open)
        #expect(repeated.localTime == "2026-10-25T02:15:00+01:00")
        #expect(repeated.nextChangeLocal == "2026-11-01T00:00:00+01:00")
    }

    @Test func anIntervalAcrossTheAutumnSwitchIsAnHourLonger() throws {
        let result = try check(hours([.sun: [at("01:00", close: "03:00")]]), "2026-10-25T01:30:00Z")  // 02:30 CET
        #expect(result.open && result.nextChange?.rfc3339 == "2026-10-25T02:00:00.000Z")
        #expect(result.nextChangeLocal == "2026-10-25T03:00:00+01:00")
        let night = try check(hours([.sat: [at("22:00", close: "06:00")]]), "2026-10-25T04:30:00Z")
        #expect(night.open && night.nextChange?.rfc3339 == "2026-10-25T05:00:00.000Z")
    }

    @Test func aSpecialDayReplacesTheWeekdayButNotThePreviousNightsTail() throws {
        let closed = SpecialDay(date: "2026-03-29", day: SpecialDay.dayNumber("2026-03-29")!, intervals: [], label: "Closed")
        let week: [Weekday: [BusinessInterval]] = [.sat: [at("22:00", close: "06:00")], .sun: [at("10:00", close: "12:00")]]
        let result = try check(hours(week, special: [closed]), "2026-03-29T02:00:00Z")
        #expect(result.open && result.nextChange?.rfc3339 == "2026-03-29T04:00:00.000Z")
        let after = try check(hours(week, special: [closed]), "2026-03-29T04:00:00Z")
        #expect(!after.open && after.nextChangeLocal == "2026-04-04T22:00:00+02:00")
    }

    @Test func touchingIntervalsAreOneOpenSpanAndNoChangeWithinTheHorizonIsNull() throws {
        let always = hours(Dictionary(uniqueKeysWithValues: Weekday.allCases.map { ($0, [at("00:00", close: "24:00")]) }), zone: "UTC")
        let result = try check(always, "2026-06-01T12:00:00Z")
        #expect(result.open && result.nextChange == nil)
        let never = try check(hours([:]), "2026-06-01T12:00:00Z")
        #expect(!never.open && never.nextChange == nil)
        let split = try check(hours([.mon: [at("08:00", close: "12:00"), at("12:00", close: "16:00")]], zone: "UTC"), "2026-06-01T09:00:00Z")
        #expect(split.nextChange?.rfc3339 == "2026-06-01T16:00:00.000Z")
    }
}
