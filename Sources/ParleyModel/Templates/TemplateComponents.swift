/// The content of a template: optional header, body, optional footer, buttons.
public struct TemplateComponents: Sendable, Hashable {
    public var header: TemplateHeader?
    public var body: TemplateText
    /// Up to 60 characters, no variables.
    public var footer: String?
    public var buttons: [TemplateButton]

    public init(header: TemplateHeader? = nil, body: TemplateText, footer: String? = nil, buttons: [TemplateButton] = []) {
        self.header = header
        self.body = body
        self.footer = footer
        self.buttons = buttons
    }

    /// The wire form: `header` and `footer` only when present, `buttons` always (possibly empty).
    public var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = [
            "body": .object(body.fields),
            "buttons": .array(buttons.map { .object($0.fields) }),
        ]
        if let header { fields["header"] = .object(header.fields) }
        if let footer { fields["footer"] = .object(["text": .string(footer)]) }
        return fields
    }
}
