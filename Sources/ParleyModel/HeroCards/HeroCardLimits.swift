/// The limits one channel puts on the content of a hero-card localization.
public struct HeroCardLimits: Sendable, Hashable {
    /// Longest title, in Unicode characters.
    public var title: Int
    /// Longest subtitle.
    public var subtitle: Int
    /// Longest text.
    public var text: Int
    /// Most images.
    public var images: Int
    /// Most buttons.
    public var buttons: Int
    /// Longest value of an `imBack`, `postBack` or `messageBack` button.
    public var messageValue: Int
    /// Whether image URLs must use `https` (`http` is refused).
    public var httpsImagesOnly: Bool
    /// The button types the channel can show.
    public var buttonTypes: [HeroCardButtonType]
    /// Whether button values must be unique within a localization (they become reply ids).
    public var uniqueButtonValues: Bool

    /// WEBCHAT and APPLE (Bot Framework hero cards): our own caps, generous but bounded.
    public static let rich = HeroCardLimits(
        title: 200, subtitle: 200, text: 2000, images: 10, buttons: 6, messageValue: 1024,
        httpsImagesOnly: false, buttonTypes: HeroCardButtonType.allCases, uniqueButtonValues: false)

    /// WHATSAPP: what a Cloud API interactive reply-button message accepts (header text <= 60,
    /// body <= 1024, footer <= 60, one media header, 1-3 reply buttons with ids <= 256).
    public static let whatsapp = HeroCardLimits(
        title: 60, subtitle: 60, text: 1024, images: 1, buttons: 3, messageValue: 256,
        httpsImagesOnly: true, buttonTypes: [.imBack, .postBack, .openUrl], uniqueButtonValues: true)

    /// Longest URL accepted in an image or a button.
    public static let urlLength = 2000
    /// Longest image `alt` text.
    public static let altLength = 200
    /// Longest button title (Bot Framework's action-title cap, and WhatsApp's reply-title cap).
    public static let buttonTitleLength = 20
    /// Most localizations of one card.
    public static let localizations = 50
}
