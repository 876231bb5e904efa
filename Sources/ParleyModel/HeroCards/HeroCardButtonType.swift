/// The Bot Framework card-action types a hero-card button may have (spelled as Bot Framework does).
public enum HeroCardButtonType: String, Sendable, Hashable, CaseIterable {
    case openUrl
    case imBack
    case postBack
    case messageBack
    case call
    case downloadFile
    case showImage
    case playAudio
    case playVideo
    case signin

    /// The wire values, in documented order.
    public static let wireValues = allCases.map(\.rawValue)

    /// What the button's `value` holds.
    public enum ValueKind: Sendable, Hashable {
        /// An absolute `http` or `https` URL.
        case webURL
        /// A `tel:` URI with an E.164 number.
        case telephone
        /// A message sent back to the bot (or, on WhatsApp, the reply id).
        case message
    }

    /// What the `value` of a button of this type must be.
    public var valueKind: ValueKind {
        switch self {
        case .openUrl, .downloadFile, .showImage, .playAudio, .playVideo, .signin: .webURL
        case .call: .telephone
        case .imBack, .postBack, .messageBack: .message
        }
    }
}
