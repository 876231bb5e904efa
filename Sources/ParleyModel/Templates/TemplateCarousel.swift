/// A media card carousel (Meta's `CAROUSEL` component, MARKETING only): 2 to 10 cards with the
/// same components, each an IMAGE or VIDEO header, an optional body (on every card or none) and
/// at most 2 buttons (QUICK_REPLY, URL, PHONE_NUMBER). The template's own body goes above the cards.
public struct TemplateCarousel: Sendable, Hashable {
    /// One card.
    public struct Card: Sendable, Hashable {
        public var header: TemplateHeader
        public var body: TemplateText?
        public var buttons: [TemplateButton]

        public init(header: TemplateHeader, body: TemplateText? = nil, buttons: [TemplateButton] = []) {
            self.header = header
            self.body = body
            self.buttons = buttons
        }

        var fields: [String: JSONValue] {
            var fields: [String: JSONValue] = ["header": .object(header.fields), "buttons": .array(buttons.map { .object($0.fields) })]
            if let body { fields["body"] = .object(body.fields) }
            return fields
        }

        /// What every card must share: the header's format, whether there is a body, the button types in order.
        var shape: String {
            "\(header.format.rawValue)|\(body != nil)|" + buttons.map(\.type.rawValue).joined(separator: ",")
        }
    }

    public var cards: [Card]

    public init(cards: [Card]) {
        self.cards = cards
    }

    static let cardCounts = 2...10
    static let cardBodyLength = 160
    static let maximumButtons = 2
    static let buttonTypes: Set<TemplateButtonType> = [.quickReply, .url, .phoneNumber]

    var fields: [String: JSONValue] { ["cards": .array(cards.map { .object($0.fields) })] }
}
