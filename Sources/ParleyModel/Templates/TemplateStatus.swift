/// Meta's review status of a template, as recorded by `templates.set_status`.
///
/// The store keeps it in server state (never in the editable fields): every template starts
/// ``pending``; only an ``approved`` template can be sent, and its content is then immutable.
public enum TemplateStatus: String, Sendable, Hashable, CaseIterable {
    case pending = "PENDING"
    case approved = "APPROVED"
    case rejected = "REJECTED"
    case paused = "PAUSED"
    case disabled = "DISABLED"
    case inAppeal = "IN_APPEAL"
    case flagged = "FLAGGED"
    case archived = "ARCHIVED"
    case pendingDeletion = "PENDING_DELETION"
    case deleted = "DELETED"
    case limitExceeded = "LIMIT_EXCEEDED"
    case locked = "LOCKED"
    case reinstated = "REINSTATED"

    /// The status of a newly created template.
    public static let initial = TemplateStatus.pending

    /// The wire values, in documentation order.
    public static let wireValues = allCases.map(\.rawValue)

    /// The wire values (the same list as ``wireValues``), as `templates.set_status` validates them.
    public static let allValues = wireValues

    /// Whether a template in this status may be sent (only ``approved``).
    public var isSendable: Bool { self == .approved }
}
