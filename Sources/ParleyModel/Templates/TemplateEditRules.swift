/// When Meta lets a template's content change (its "Edit templates" rules): only while it is
/// APPROVED, REJECTED or PAUSED; an APPROVED one at most once in 24 hours and 10 times in 30 days,
/// and never to another category. Rejected and paused templates have no limit. An edit sends the
/// template back to review (PENDING).
public enum TemplateEditRules {
    public static let editableStatuses: Set<String> = ["APPROVED", "REJECTED", "PAUSED"]
    public static let approvedEditsPerDay = 1
    public static let approvedEditsPerThirtyDays = 10
    static let day: Int64 = 86_400_000

    /// Why an edit at `now` is refused, given the status and the times of the edits made while
    /// APPROVED; nil when it is allowed. `changesCategory`: the edit changes the category.
    public static func refusal(status: String, approvedEdits: [Timestamp], changesCategory: Bool, at now: Timestamp) -> (
        reason: String, message: String
    )? {
        guard editableStatuses.contains(status) else {
            return ("not_editable", "a template that is \(status) at Meta cannot be edited: only APPROVED, REJECTED or PAUSED templates can")
        }
        guard status == "APPROVED" else { return nil }
        if changesCategory {
            return ("immutable", "the category of an APPROVED template cannot change")
        }
        let lastDay = approvedEdits.filter { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < day }
        if lastDay.count >= approvedEditsPerDay, let first = lastDay.min() {
            let wait = RetryDelay.words(milliseconds: first.millisecondsSinceEpoch + day - now.millisecondsSinceEpoch)
            return ("edit_limit", "an APPROVED template can be edited once in 24 hours; it was edited at \(first.rfc3339): \(wait)")
        }
        let lastMonth = approvedEdits.filter { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < 30 * day }
        if lastMonth.count >= approvedEditsPerThirtyDays, let first = lastMonth.min() {
            let wait = RetryDelay.words(milliseconds: first.millisecondsSinceEpoch + 30 * day - now.millisecondsSinceEpoch)
            return ("edit_limit", "an APPROVED template can be edited 10 times in 30 days: \(wait)")
        }
        return nil
    }

    /// The edit times still inside the 30-day window at `now` (older ones are dropped).
    public static func recent(_ edits: [Timestamp], at now: Timestamp) -> [Timestamp] {
        edits.filter { now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch < 30 * day }
    }
}
