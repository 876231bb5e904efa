import ParleyModel
import Testing

/// The members an audit record lists as changed: every member of a creation or a deletion, and
/// the differing ones of an update, where a member missing on one side counts as null.
@Suite struct AuditChangesTests {
    @Test func aCreationListsEveryMemberAfterNull() {
        let changes = AuditRecord.changes(before: nil, after: ["name": "Sales", "priority": 3])
        #expect(changes == ["name": ["before": nil, "after": "Sales"], "priority": ["before": nil, "after": 3]])
    }

    @Test func aDeletionListsEveryMemberBeforeNull() {
        let changes = AuditRecord.changes(before: ["name": "Sales", "note": nil], after: nil)
        #expect(changes == ["name": ["before": "Sales", "after": nil], "note": ["before": nil, "after": nil]])
    }

    @Test func anUpdateListsOnlyWhatDiffers() {
        let before: [String: JSONValue] = ["name": "Sales", "priority": 3, "gone": "x", "was_null": nil, "same": [1, 2]]
        let after: [String: JSONValue] = ["name": "Support", "priority": 3, "new": true, "now_null": nil, "same": [1, 2]]
        let changes = AuditRecord.changes(before: before, after: after)
        #expect(
            changes == [
                "name": ["before": "Sales", "after": "Support"],
                "gone": ["before": "x", "after": nil],
                "new": ["before": nil, "after": true],
            ], "a member null on one side and missing on the other is no change")
        #expect(AuditRecord.changes(before: before, after: before).isEmpty)
    }
}
