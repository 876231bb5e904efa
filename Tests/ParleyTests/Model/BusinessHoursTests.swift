import Testing

@testable import ParleyModel

@Suite struct BusinessHoursTests {
    private func read(_ params: [String: JSONValue]) -> (hours: BusinessHours?, reader: ParamReader) {
        var reader = ParamReader(params)
        let hours = BusinessHours.read(from: &reader)
        reader.reportUnknownMembers()
        return (hours, reader)
    }

    private func paths(_ params: [String: JSONValue]) -> [String] { read(params).reader.issues.map(\.path) }

    private func interval(_ open: String, _ close: String) -> JSONValue { ["open": .string(open), "close": .string(close)] }

    private func hours(week: [String: JSONValue], special: [JSONValue] = []) -> [String: JSONValue] {
        ["name": "Office", "timezone": "Europe/Prague", "week": .object(week), "special_days": .array(special)]
    }

    @Test func minimalHoursHaveEveryWeekdayAndNoSpecialDays() throws {
        let parsed = try #require(read(["name": " Office ", "timezone": "Europe/Prague", "week": [:]]).hours)
        #expect(parsed.name == "Office")
        #expect(parsed.fields["week"] == ["mon": [], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []])
        #expect(parsed.fields["special_days"] == [])
        #expect(parsed.uniqueKeys.map(\.value) == ["office"])
    }

    @Test func fieldsReadBackToEqualHours() throws {
        let params = hours(
            week: ["mon": [interval("13:00", "17:00"), interval("08:00", "12:00")], "fri": [interval("22:00", "02:00")]],
            special: [
                ["date": "2026-12-24", "intervals": [interval("08:00", "12:00")], "label": "Christmas Eve"],
                ["date": "2026-01-01", "closed": true],
            ])
        let parsed = try #require(read(params).hours)
        #expect(read(parsed.fields).hours == parsed)
        #expect(parsed.fields["week"]?["mon"] == [interval("08:00", "12:00"), interval("13:00", "17:00")])
        #expect(parsed.specialDays.map(\.date) == ["2026-01-01", "2026-12-24"])
        #expect(parsed.fields["special_days"]?[0] == ["date": "2026-01-01", "closed": true, "intervals": [], "label": .null])
    }

    @Test func anIntervalClosingAtOrBeforeItsOpeningEndsTheNextDay() throws {
        let parsed = try #require(read(hours(week: ["mon": [interval("22:00", "02:00")], "tue": [interval("09:00", "00:00")]])).hours)
        let night = try #require(parsed.week[.mon]?.first)
        #expect(night.endsNextDay && night.end == 26 * 60)
        #expect(parsed.fields["week"]?["tue"] == [interval("09:00", "24:00")])  // a close at 00:00 is the end of the day
        #expect(read(hours(week: ["mon": [interval("00:00", "24:00")]])).hours != nil)
        #expect(paths(hours(week: ["mon": [interval("09:00", "09:00")]])) == ["week.mon[0].close"])
    }

    @Test func malformedTimesAreReportedAtTheirPaths() {
        let params = hours(week: [
            "mon": [interval("9:00", "17:00"), interval("24:00", "24:01")], "tue": [["open": "08:00", "close": "12:00", "note": "x"]],
            "monday": [],
        ])
        #expect(paths(params) == ["week.mon[0].open", "week.mon[1].open", "week.mon[1].close", "week.tue[0].note", "week.monday"])
    }

    @Test func overlapsAreReportedAtTheLaterIntervalAsGiven() {
        let params = hours(week: ["wed": [interval("11:00", "13:00"), interval("09:00", "12:00"), interval("14:00", "15:00")]])
        let issues = read(params).reader.issues
        #expect(issues.map(\.path) == ["week.wed[0]"])
        #expect(issues.first?.message == "overlaps week.wed[1] (09:00-12:00)")
        // Touching intervals do not overlap.
        #expect(read(hours(week: ["wed": [interval("09:00", "12:00"), interval("12:00", "13:00")]])).hours != nil)
    }

    @Test func anAfterMidnightTailMustNotOverlapTheNextDay() {
        #expect(paths(hours(week: ["mon": [interval("22:00", "02:00")], "tue": [interval("01:00", "05:00")]])) == ["week.mon[0]"])
        #expect(paths(hours(week: ["sun": [interval("23:00", "01:00")], "mon": [interval("00:30", "05:00")]])) == ["week.sun[0]"])
        #expect(read(hours(week: ["mon": [interval("22:00", "02:00")], "tue": [interval("02:00", "05:00")]])).hours != nil)
        #expect(paths(hours(week: ["mon": [interval("22:00", "02:00"), interval("23:00", "23:30")]])) == ["week.mon[1]"])
    }

    @Test func specialDaysAreCheckedAgainstTheirNeighbours() {
        // 2026-03-03 is a Tuesday: Monday's tail runs into its first interval; its own tail runs into Wednesday.
        let week: [String: JSONValue] = ["mon": [interval("22:00", "02:00")], "wed": [interval("06:00", "10:00")]]
        let special: [JSONValue] = [["date": "2026-03-03", "intervals": [interval("20:00", "07:00"), interval("01:00", "03:00")]]]
        #expect(paths(hours(week: week, special: special)) == ["special_days[0].intervals[1]", "special_days[0].intervals[0]"])
        #expect(read(hours(week: week, special: [["date": "2026-03-03", "closed": true]])).hours != nil)
    }

    @Test func specialDaysAreValidated() {
        let special: [JSONValue] = [
            ["date": "2026-02-30", "closed": true], ["date": "2026-05-01", "closed": true, "intervals": [interval("08:00", "12:00")]],
            ["date": "2026-05-02"], ["date": "2026-05-03", "closed": true, "label": .string(String(repeating: "x", count: 101))],
            ["date": "2026-05-04", "closed": true], ["date": "2026-05-04", "closed": true],
        ]
        #expect(
            paths(hours(week: [:], special: special)) == [
                "special_days[0].date", "special_days[1].intervals", "special_days[2].intervals", "special_days[3].label",
                "special_days[5].date",
            ])
    }

    @Test func theTimezoneIsAnIANAName() {
        #expect(paths(["name": "Office", "timezone": "Mars/Olympus", "week": [:]]) == ["timezone"])
        #expect(paths(["name": "Office", "timezone": "UTC"]) == ["week"])
    }

    @Test func groupsAndNumbersStoredEarlierReadNoBusinessHours() {
        let now = Timestamp(millisecondsSinceEpoch: 0)
        for kind in [ResourceKind.group, .whatsappNumber] {
            let old = StoredResource(kind: kind, id: "x", tenantId: "t", fields: ["name": "Old"], revision: 1, createdAt: now, updatedAt: now)
            #expect(old.fields["business_hours_id"] == .null)
        }
        let group = OperatorGroup(name: "Support", businessHoursId: "bhr_01JD8ZB7Q4N7Z2K5M8P0R3S6T9")
        #expect(group.references == [ResourceReference(field: "business_hours_id", kind: .businessHours, id: "bhr_01JD8ZB7Q4N7Z2K5M8P0R3S6T9")])
    }
}
