/// Meta's quality rating of a phone number (synced in by an integration).
public enum WhatsAppQualityRating: String, Sendable, Hashable, CaseIterable {
    case green = "GREEN"
    case yellow = "YELLOW"
    case red = "RED"
    /// Not rated yet.
    case notApplicable = "NA"
}
