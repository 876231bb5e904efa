/// How a WhatsApp number is connected to Meta.
public enum WhatsAppProvider: String, Sendable, Hashable, CaseIterable {
    /// Meta's own WhatsApp Cloud API.
    case cloudAPI = "CLOUD_API"
    /// The 360dialog partner API.
    case dialog360 = "DIALOG360"
}
