/// The content of a template: optional header, body, optional footer, buttons.
public struct TemplateComponents: Sendable, Hashable {
    public var header: TemplateHeader?
    public var body: TemplateText
    /// Up to 60 characters, no variables.
    public var footer: String?
    public var buttons: [TemplateButton]
    /// An AUTHENTICATION template's preset body and footer (``body`` then holds Meta's English
    /// preset text, and ``footer`` is nil); nil for the other categories.
    public var authentication: TemplateAuthentication?
    /// A limited-time offer (MARKETING only); nil for other templates.
    public var limitedTimeOffer: TemplateLimitedTimeOffer?
    /// A media card carousel (MARKETING only); nil for other templates.
    public var carousel: TemplateCarousel?

    public init(header: TemplateHeader? = nil, body: TemplateText, footer: String? = nil, buttons: [TemplateButton] = []) {
        self.header = header
        self.body = body
        self.footer = footer
        self.buttons = buttons
    }

    /// An AUTHENTICATION template's components: Meta's preset texts and its one OTP button.
    public init(authentication: TemplateAuthentication, button: TemplateOTPButton) {
        self.init(body: authentication.body, buttons: [.otp(button)])
        self.authentication = authentication
    }

    /// The wire form: `header` and `footer` only when present, `buttons` always (possibly empty);
    /// an AUTHENTICATION template's body and footer as Meta's options, not text.
    public var fields: [String: JSONValue] {
        if let authentication {
            var fields = authentication.fields
            fields["buttons"] = .array(buttons.map { .object($0.fields) })
            return fields
        }
        var fields: [String: JSONValue] = [
            "body": .object(body.fields),
            "buttons": .array(buttons.map { .object($0.fields) }),
        ]
        if let header { fields["header"] = .object(header.fields) }
        if let footer { fields["footer"] = .object(["text": .string(footer)]) }
        if let limitedTimeOffer { fields["limited_time_offer"] = .object(limitedTimeOffer.fields) }
        if let carousel { fields["carousel"] = .object(carousel.fields) }
        return fields
    }
}
