/// An operator group (family `groups`): the operators sessions are routed to, and how.
public struct OperatorGroup: ResourceContent, Hashable {
    public static let kind = ResourceKind.group

    /// Display name, 1-100 characters, unique in the tenant ignoring case (case is kept).
    public var name: String
    public var type: OperatorGroupType
    public var routingMode: GroupRoutingMode
    /// Opaque user ids of the members, distinct, at most 1000, in the order given.
    public var memberUserIds: [String]
    /// Sessions one operator handles at once, 1-50.
    public var maxConcurrentSessionsPerOperator: Int
    /// Sessions that may wait for the group, 0-1000 (0: no queue).
    public var queueSize: Int
    /// Seconds a session waits in the queue before it falls to the fallback group, 0-86400.
    public var maxQueueWaitSeconds: Int
    /// After-call-work time an operator gets after a session, 0-3600 seconds.
    public var maxAcwSeconds: Int
    /// The group (of the same tenant) that takes sessions this group cannot.
    public var fallbackGroupId: String?
    public var enabled: Bool
    /// The business hours (of the same tenant) the group keeps, when set.
    public var businessHoursId: String?

    public init(
        name: String, type: OperatorGroupType = .normal, routingMode: GroupRoutingMode = .sequentialByOperator,
        memberUserIds: [String] = [], maxConcurrentSessionsPerOperator: Int = Defaults.maxConcurrentSessionsPerOperator,
        queueSize: Int = Defaults.queueSize, maxQueueWaitSeconds: Int = Defaults.maxQueueWaitSeconds,
        maxAcwSeconds: Int = Defaults.maxAcwSeconds, fallbackGroupId: String? = nil, enabled: Bool = true,
        businessHoursId: String? = nil
    ) {
        self.name = name
        self.type = type
        self.routingMode = routingMode
        self.memberUserIds = memberUserIds
        self.maxConcurrentSessionsPerOperator = maxConcurrentSessionsPerOperator
        self.queueSize = queueSize
        self.maxQueueWaitSeconds = maxQueueWaitSeconds
        self.maxAcwSeconds = maxAcwSeconds
        self.fallbackGroupId = fallbackGroupId
        self.enabled = enabled
        self.businessHoursId = businessHoursId
    }

    /// The values absent numeric fields take.
    public enum Defaults {
        public static let maxConcurrentSessionsPerOperator = 3
        public static let queueSize = 50
        public static let maxQueueWaitSeconds = 300
        public static let maxAcwSeconds = 60
    }

    public var fields: [String: JSONValue] {
        [
            "name": .string(name),
            "type": .string(type.rawValue),
            "routing_mode": .string(routingMode.rawValue),
            "member_user_ids": .array(memberUserIds.map(JSONValue.string)),
            "max_concurrent_sessions_per_operator": .int(Int64(maxConcurrentSessionsPerOperator)),
            "queue_size": .int(Int64(queueSize)),
            "max_queue_wait_seconds": .int(Int64(maxQueueWaitSeconds)),
            "max_acw_seconds": .int(Int64(maxAcwSeconds)),
            "fallback_group_id": .optional(fallbackGroupId),
            "enabled": .bool(enabled),
            "business_hours_id": .optional(businessHoursId),
        ]
    }

    /// The wire values of `type` (for list filters).
    public static let types: [String] = OperatorGroupType.allCases.map(\.rawValue)
    /// The wire values of `routing_mode` (for list filters).
    public static let routingModes: [String] = GroupRoutingMode.allCases.map(\.rawValue)

    public var nameKey: String { name.lowercased() }

    /// The name, unique in the tenant ignoring case.
    public var uniqueKeys: [UniqueKey] {
        [UniqueKey(name: "name", value: nameKey, field: "name", message: "a group named \"\(name)\" already exists")]
    }

    /// The fallback group and the business hours, when set. The store also checks that the
    /// fallback is not this group and that following fallbacks never comes back to this group.
    public var references: [ResourceReference] {
        var references = fallbackGroupId.map { [ResourceReference(field: "fallback_group_id", kind: .group, id: $0)] } ?? []
        if let businessHoursId { references.append(ResourceReference(field: "business_hours_id", kind: .businessHours, id: businessHoursId)) }
        return references
    }
}
