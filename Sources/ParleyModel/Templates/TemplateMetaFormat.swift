/// A template in the shape of Meta's Graph API (`POST /<WABA_ID>/message_templates` and its list
/// responses): `{name, language, category, parameter_format, components: [{type: HEADER|BODY|
/// FOOTER|BUTTONS, ..., example}], message_send_ttl_seconds?}`. Parley's own shape keeps the same
/// content keyed by component; this converts both ways, losslessly for what Parley stores
/// (``metaPayload(_:)`` then ``parleyParams(fromMeta:)`` gives the same fields back).
public enum TemplateMetaFormat {
    /// The create request Meta accepts for `template`.
    public static func metaPayload(_ template: WhatsAppTemplate) -> JSONValue {
        var payload: [String: JSONValue] = [
            "name": .string(template.name), "language": .string(template.language), "category": .string(template.category.rawValue),
            "parameter_format": .string(template.parameterFormat.rawValue), "components": .array(components(template)),
        ]
        if let ttl = template.messageSendTTLSeconds { payload["message_send_ttl_seconds"] = .int(ttl) }
        return .object(payload)
    }

    private static func components(_ template: WhatsAppTemplate) -> [JSONValue] {
        let content = template.components
        if let authentication = content.authentication {
            var components: [JSONValue] = [["type": "BODY", "add_security_recommendation": .bool(authentication.addSecurityRecommendation)]]
            if let minutes = authentication.codeExpirationMinutes { components.append(["type": "FOOTER", "code_expiration_minutes": .int(Int64(minutes))]) }
            components.append(["type": "BUTTONS", "buttons": .array(content.buttons.map(button))])
            return components
        }
        let named = template.parameterFormat == .named
        var components: [JSONValue] = []
        if let header = content.header { components.append(self.header(header, named: named)) }
        if let offer = content.limitedTimeOffer {
            components.append([
                "type": "LIMITED_TIME_OFFER", "limited_time_offer": ["text": .string(offer.text), "has_expiration": .bool(offer.hasExpiration)],
            ])
        }
        var body: [String: JSONValue] = ["type": "BODY", "text": .string(content.body.text)]
        if let example = example(of: content.body, named: named, positional: "body_text", namedKey: "body_text_named_params", nested: true) {
            body["example"] = example
        }
        components.append(.object(body))
        if let carousel = content.carousel {
            components.append(["type": "CAROUSEL", "cards": .array(carousel.cards.map { card(of: $0, named: named) })])
        }
        if let footer = content.footer { components.append(["type": "FOOTER", "text": .string(footer)]) }
        if !content.buttons.isEmpty { components.append(["type": "BUTTONS", "buttons": .array(content.buttons.map(button))]) }
        return components
    }

    /// A carousel card as Meta has it: `{components: [HEADER, BODY?, BUTTONS]}`.
    private static func card(of card: TemplateCarousel.Card, named: Bool) -> JSONValue {
        var components = [header(card.header, named: named)]
        if let body = card.body {
            var fields: [String: JSONValue] = ["type": "BODY", "text": .string(body.text)]
            if let example = example(of: body, named: named, positional: "body_text", namedKey: "body_text_named_params", nested: true) {
                fields["example"] = example
            }
            components.append(.object(fields))
        }
        components.append(["type": "BUTTONS", "buttons": .array(card.buttons.map(button))])
        return ["components": .array(components)]
    }

    private static func header(_ header: TemplateHeader, named: Bool) -> JSONValue {
        var fields: [String: JSONValue] = ["type": "HEADER", "format": .string(header.format.rawValue)]
        switch header {
        case .text(let text):
            fields["text"] = .string(text.text)
            if let example = example(of: text, named: named, positional: "header_text", namedKey: "header_text_named_params", nested: false) {
                fields["example"] = example
            }
        case .media(_, let url):
            fields["example"] = ["header_handle": [.string(url)]]
        case .location:
            break
        }
        return .object(fields)
    }

    /// Meta's `example`: positional values as `[[v1, v2]]` (body) or `[v1]` (header), named ones as
    /// `[{param_name, example}]`; nil when the text has no variables.
    private static func example(of text: TemplateText, named: Bool, positional: String, namedKey: String, nested: Bool) -> JSONValue? {
        let variables = text.variables
        guard !variables.isEmpty else { return nil }
        if named {
            return [namedKey: .array(variables.map { ["param_name": .string($0.key), "example": .string(text.examples[$0.key] ?? "")] })]
        }
        let values: [JSONValue] = variables.map { .string(text.examples[$0.key] ?? "") }
        return [positional: nested ? [.array(values)] : .array(values)]
    }

    private static func button(_ button: TemplateButton) -> JSONValue {
        var fields = button.fields
        switch button {
        case .url(_, let url, let example?):
            // Meta's sample is the whole URL with the variable filled in; Parley keeps the suffix.
            fields["example"] = [.string(String(url.dropLast(TemplateButton.urlVariable.count)) + example)]
        case .copyCode(let example):
            fields["example"] = .string(example)
        default:
            break
        }
        return .object(fields)
    }
}
