/// The content of a hero card in one language: a Bot Framework hero card body.
public struct HeroCardLocalization: Sendable, Hashable {
    /// One line, if any.
    public var title: String?
    /// One line under the title (the footer on WhatsApp), if any.
    public var subtitle: String?
    /// Free text that may span lines, if any.
    public var text: String?
    public var images: [HeroCardImage]
    public var buttons: [HeroCardButton]
    /// Bot Framework's `tap`: what a click on the card itself does, if anything (not shown on WhatsApp).
    public var tap: HeroCardButton?

    public init(
        title: String? = nil, subtitle: String? = nil, text: String? = nil, images: [HeroCardImage] = [],
        buttons: [HeroCardButton] = [], tap: HeroCardButton? = nil
    ) {
        self.title = title
        self.subtitle = subtitle
        self.text = text
        self.images = images
        self.buttons = buttons
        self.tap = tap
    }

    /// The stored form: every member present, absent texts as null, empty arrays as `[]`.
    public var fields: JSONValue {
        [
            "title": .optional(title),
            "subtitle": .optional(subtitle),
            "text": .optional(text),
            "images": .array(images.map(\.fields)),
            "buttons": .array(buttons.map(\.json)),
            "tap": tap?.json ?? .null,
        ]
    }
}
