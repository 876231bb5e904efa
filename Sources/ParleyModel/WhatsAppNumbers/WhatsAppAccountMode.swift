/// Whether the number sends for real or is a test number (`account_mode`, synced in).
public enum WhatsAppAccountMode: String, Sendable, Hashable, CaseIterable {
    case live = "LIVE"
    case sandbox = "SANDBOX"
}
