/// Where a hero card is shown; decides the limits its localizations must respect.
public enum HeroCardChannel: String, Sendable, Hashable, CaseIterable {
    case webchat = "WEBCHAT"
    case whatsapp = "WHATSAPP"
    case apple = "APPLE"

    /// The wire values, in documented order (`WEBCHAT, WHATSAPP, APPLE`).
    public static let wireValues = allCases.map(\.rawValue)

    /// The limits of this channel.
    public var limits: HeroCardLimits {
        switch self {
        case .webchat, .apple: .rich
        case .whatsapp: .whatsapp
        }
    }
}
