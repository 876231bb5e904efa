/// The offer of a limited-time-offer template (Meta's `LIMITED_TIME_OFFER` component, MARKETING
/// only): a short headline, and whether WhatsApp shows the offer's expiry with a countdown. The
/// expiry itself is given at send time (`expiration_time_ms`).
public struct TemplateLimitedTimeOffer: Sendable, Hashable {
    /// At most 16 characters, one line, no variables.
    public var text: String
    /// Whether the expiry and a countdown are shown.
    public var hasExpiration: Bool

    public init(text: String, hasExpiration: Bool = false) {
        self.text = text
        self.hasExpiration = hasExpiration
    }

    /// Meta's longest offer text.
    static let textLength = 16
    /// Meta's longest body in a limited-time-offer template.
    static let bodyLength = 600

    var fields: [String: JSONValue] { ["text": .string(text), "has_expiration": .bool(hasExpiration)] }

    /// Reads `components.limited_time_offer`.
    static func read(from reader: inout ParamReader) -> TemplateLimitedTimeOffer? {
        let before = reader.issues.count
        let text = TextRules.displayText(reader.string("text", required: true), field: "text", lengths: 1...textLength, into: &reader)
        if let text { TemplateVariableRules.forbid(TemplateVariableScanner.scan(text), field: "text", into: &reader) }
        let expiration = reader.bool("has_expiration") ?? false
        guard let text, reader.issues.count == before else { return nil }
        return TemplateLimitedTimeOffer(text: text, hasExpiration: expiration)
    }

    /// Meta's rules on the rest of a template with an offer, reported into `components`: MARKETING
    /// only, no footer, the body at most 600 characters, an IMAGE or VIDEO header if any, and the
    /// buttons a URL one after an optional COPY_CODE one.
    static func checkSurroundings(
        category: TemplateCategory?, header: TemplateHeader?, body: TemplateText?, footer: String?, buttons: [TemplateButton]?,
        into components: inout ParamReader
    ) {
        if let category, category != .marketing {
            components.report("limited_time_offer", "is for MARKETING templates only (Meta's rule), not \(category.rawValue)")
        }
        if footer != nil { components.report("footer", "must not be given with a limited_time_offer: Meta's offer templates have no footer") }
        if let body, TextRules.length(body.text) > bodyLength {
            components.reportPath(components.path("body") + ".text", "must be at most \(bodyLength) characters in a limited-time-offer template")
        }
        if let header, header.format != .image, header.format != .video {
            components.reportPath(components.path("header") + ".format", "must be IMAGE or VIDEO (or no header) in a limited-time-offer template")
        }
        if let buttons {
            let types = buttons.map(\.type)
            if types != [.url] && types != [.copyCode, .url] {
                components.report("buttons", "must be a URL button, after an optional COPY_CODE button, in a limited-time-offer template")
            }
        }
    }
}
