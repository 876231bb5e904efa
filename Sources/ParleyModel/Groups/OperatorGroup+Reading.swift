extension OperatorGroup {
    /// The limits of the group fields.
    public enum Limits {
        public static let nameLength = 1...100
        public static let memberCount = 1000
        public static let userIdLength = 1...128
        public static let maxConcurrentSessionsPerOperator: ClosedRange<Int64> = 1...50
        public static let queueSize: ClosedRange<Int64> = 0...1000
        public static let maxQueueWaitSeconds: ClosedRange<Int64> = 0...86400
        public static let maxAcwSeconds: ClosedRange<Int64> = 0...3600
    }

    /// Reads and validates every group field, reporting each problem; warns about the deprecated
    /// `WHOLE_GROUP` routing mode and about members listed for an `ALL_OPERATORS` group.
    public static func read(from reader: inout ParamReader) -> OperatorGroup? {
        typealias Read = FamilyFieldReading
        let issueCount = reader.issues.count
        let name = Read.objectName("name", lengths: Limits.nameLength, in: &reader)
        let type = Read.choice("type", default: OperatorGroupType.normal, in: &reader)
        let routingMode = Read.choice("routing_mode", default: GroupRoutingMode.sequentialByOperator, in: &reader)
        if routingMode == .wholeGroup {
            reader.warn("routing_mode", "WHOLE_GROUP is deprecated; use SEQUENTIAL_BY_OPERATOR")
        }
        let members = reader.stringArray("member_user_ids", maximumCount: Limits.memberCount, check: checkUserId) ?? []
        if type == .allOperators, !members.isEmpty {
            reader.warn("member_user_ids", "is ignored for ALL_OPERATORS groups, which hold every operator")
        }
        let group = OperatorGroup(
            name: name ?? "",
            type: type,
            routingMode: routingMode,
            memberUserIds: members,
            maxConcurrentSessionsPerOperator: Read.integer(
                "max_concurrent_sessions_per_operator", in: Limits.maxConcurrentSessionsPerOperator,
                default: Defaults.maxConcurrentSessionsPerOperator, in: &reader),
            queueSize: Read.integer("queue_size", in: Limits.queueSize, default: Defaults.queueSize, in: &reader),
            maxQueueWaitSeconds: Read.integer(
                "max_queue_wait_seconds", in: Limits.maxQueueWaitSeconds, default: Defaults.maxQueueWaitSeconds, in: &reader),
            maxAcwSeconds: Read.integer("max_acw_seconds", in: Limits.maxAcwSeconds, default: Defaults.maxAcwSeconds, in: &reader),
            fallbackGroupId: Read.identifier("fallback_group_id", of: .group, required: false, in: &reader),
            enabled: Read.flag("enabled", default: true, in: &reader),
            businessHoursId: Read.identifier("business_hours_id", of: .businessHours, required: false, in: &reader))
        return reader.issues.count == issueCount ? group : nil
    }

    /// A member id is opaque: 1-128 characters, no control characters, no surrounding white space.
    private static func checkUserId(_ id: String, path: String, reader: inout ParamReader) -> String? {
        var ok = true
        if !Limits.userIdLength.contains(TextRules.length(id)) {
            reader.reportPath(path, "must be \(Limits.userIdLength.lowerBound) to \(Limits.userIdLength.upperBound) characters")
            ok = false
        }
        if TextRules.hasControlCharacter(id) {
            reader.reportPath(path, "must not contain control characters")
            ok = false
        }
        if TextRules.trimmed(id) != id {
            reader.reportPath(path, "must not start or end with white space")
            ok = false
        }
        return ok ? id : nil
    }
}
