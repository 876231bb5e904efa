/// Where Meta's review of the number's display name stands (`name_status`, synced in).
public enum WhatsAppNameStatus: String, Sendable, Hashable, CaseIterable {
    case approved = "APPROVED"
    case availableWithoutReview = "AVAILABLE_WITHOUT_REVIEW"
    case declined = "DECLINED"
    /// The certificate expired and cannot be used to register.
    case expired = "EXPIRED"
    case pendingReview = "PENDING_REVIEW"
    /// No certificate: the number cannot be registered.
    case none = "NONE"
}
