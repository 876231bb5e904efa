/// Whether the number's ownership was verified by code (`code_verification_status`, synced in).
/// Meta's reference lists `VERIFIED` and `UNVERIFIED`; its API also answers `NOT_VERIFIED` and
/// `EXPIRED`, so all four are accepted.
public enum WhatsAppCodeVerificationStatus: String, Sendable, Hashable, CaseIterable {
    case verified = "VERIFIED"
    case unverified = "UNVERIFIED"
    case notVerified = "NOT_VERIFIED"
    case expired = "EXPIRED"
}
