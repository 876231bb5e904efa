import Testing

@testable import ParleyModel

@Suite struct GroupTests {
    private static let groupId = "grp_01JD8X3Q4N7Z2K5M8P0R3S6T9V"

    private func read(_ params: [String: JSONValue]) -> (group: OperatorGroup?, reader: ParamReader) {
        var reader = ParamReader(params)
        let group = OperatorGroup.read(from: &reader)
        reader.reportUnknownMembers()
        return (group, reader)
    }

    @Test func minimalGroupTakesDefaults() throws {
        let group = try #require(read(["name": "  Sales "]).group)
        #expect(group == OperatorGroup(name: "Sales"))
        #expect(group.fields["type"] == "NORMAL")
        #expect(group.fields["routing_mode"] == "SEQUENTIAL_BY_OPERATOR")
        #expect(group.fields["member_user_ids"] == [])
        #expect(group.fields["max_concurrent_sessions_per_operator"] == 3)
        #expect(group.fields["queue_size"] == 50)
        #expect(group.fields["max_queue_wait_seconds"] == 300)
        #expect(group.fields["max_acw_seconds"] == 60)
        #expect(group.fields["fallback_group_id"] == .null)
        #expect(group.fields["enabled"] == true)
        #expect(group.references.isEmpty)
    }

    @Test func fieldsReadBackToAnEqualGroup() throws {
        let params: [String: JSONValue] = [
            "name": "Support", "type": "CHATBOT", "member_user_ids": ["u1", "u2"],
            "max_concurrent_sessions_per_operator": 50, "queue_size": 0, "max_queue_wait_seconds": 86400,
            "max_acw_seconds": 3600, "fallback_group_id": .string(Self.groupId), "enabled": false,
        ]
        let group = try #require(read(params).group)
        #expect(read(group.fields).group == group)
        #expect(group.references == [ResourceReference(field: "fallback_group_id", kind: .group, id: Self.groupId)])
    }

    @Test func nameIsUniqueIgnoringCaseButKeepsCase() throws {
        let group = try #require(read(["name": "Sales EU"]).group)
        #expect(group.name == "Sales EU")
        #expect(group.nameKey == "sales eu")
        #expect(group.uniqueKeys.map(\.value) == ["sales eu"])
        #expect(group.uniqueKeys.allSatisfy { $0.scope == .tenant && $0.field == "name" })
    }

    @Test func wholeGroupRoutingIsAcceptedWithAWarning() throws {
        let (group, reader) = read(["name": "Legacy", "routing_mode": "WHOLE_GROUP"])
        #expect(group?.routingMode == .wholeGroup)
        #expect(reader.warnings.map(\.path) == ["routing_mode"])
    }

    @Test func membersOfAnAllOperatorsGroupAreWarnedAbout() {
        let (group, reader) = read(["name": "Everyone", "type": "ALL_OPERATORS", "member_user_ids": ["u1"]])
        #expect(group != nil)
        #expect(reader.warnings.map(\.path) == ["member_user_ids"])
    }

    @Test func everyProblemIsReportedAtItsPath() {
        let (group, reader) = read([
            "name": " ", "type": "VIP", "routing_mode": "RANDOM",
            "member_user_ids": ["u1", "u1", "", " u2", "u\u{7}", 5, .string(String(repeating: "u", count: 129))],
            "max_concurrent_sessions_per_operator": 0, "queue_size": 1001, "max_queue_wait_seconds": 86401,
            "max_acw_seconds": -1, "fallback_group_id": "tag_01JD8X3Q4N7Z2K5M8P0R3S6T9V", "enabled": "yes", "color": "red",
        ])
        #expect(group == nil)
        #expect(
            reader.issues.map(\.path) == [
                "name", "type", "routing_mode", "member_user_ids[1]", "member_user_ids[2]", "member_user_ids[3]",
                "member_user_ids[4]", "member_user_ids[5]", "member_user_ids[6]", "max_concurrent_sessions_per_operator",
                "queue_size", "max_queue_wait_seconds", "max_acw_seconds", "fallback_group_id", "enabled", "color",
            ])
    }

    @Test func wireValueListsForFilters() {
        #expect(OperatorGroup.types == ["NORMAL", "ALL_OPERATORS", "CHATBOT"])
        #expect(OperatorGroup.routingModes == ["SEQUENTIAL_BY_OPERATOR", "WHOLE_GROUP"])
    }

    @Test func limitsAreInclusive() {
        #expect(read(["name": .string(String(repeating: "n", count: 100)), "max_concurrent_sessions_per_operator": 1]).group != nil)
        #expect(read(["name": .string(String(repeating: "n", count: 101))]).reader.issues.map(\.path) == ["name"])
        #expect(read(["name": "A", "max_concurrent_sessions_per_operator": 51]).group == nil)
        #expect(read(["name": "A", "member_user_ids": .array(Array(repeating: "u", count: 1001))]).reader.issues.map(\.path) == ["member_user_ids"])
        let thousand = (0..<1000).map { JSONValue.string("user-\($0)") }
        #expect(read(["name": "A", "member_user_ids": .array(thousand)]).group?.memberUserIds.count == 1000)
    }
}
