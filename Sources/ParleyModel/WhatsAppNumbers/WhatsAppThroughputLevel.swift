/// The number's sending throughput (`throughput.level`, synced in): `STANDARD` is 80 messages a
/// second, `HIGH` up to 1,000 after Meta's automatic upgrade.
public enum WhatsAppThroughputLevel: String, Sendable, Hashable, CaseIterable {
    case standard = "STANDARD"
    case high = "HIGH"
}
