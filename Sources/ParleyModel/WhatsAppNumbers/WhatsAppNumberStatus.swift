/// The status Meta reports for a phone number (synced in by an integration).
public enum WhatsAppNumberStatus: String, Sendable, Hashable, CaseIterable {
    case connected = "CONNECTED"
    case disconnected = "DISCONNECTED"
    case unverified = "UNVERIFIED"
    case pending = "PENDING"
    case flagged = "FLAGGED"
    case restricted = "RESTRICTED"
}
