/// One button of a template.
public enum TemplateButton: Sendable, Hashable {
    /// Sends `text` back as the client's reply.
    case quickReply(text: String)
    /// Opens `url`; a URL ending in `{{1}}` gets its suffix at send time, `example` is its sample.
    case url(text: String, url: String, example: String?)
    /// Calls `phoneNumber` (E.164).
    case phoneNumber(text: String, phoneNumber: String)
    /// Copies a coupon code given at send time; `example` is the sample code. Meta labels it "Copy offer code".
    case copyCode(example: String)
    /// Hands over the one-time password given at send time (AUTHENTICATION templates only).
    case otp(TemplateOTPButton)

    /// The label Meta puts on a COPY_CODE button.
    public static let copyCodeLabel = "Copy offer code"

    /// The button's type.
    public var type: TemplateButtonType {
        switch self {
        case .quickReply: .quickReply
        case .url: .url
        case .phoneNumber: .phoneNumber
        case .copyCode: .copyCode
        case .otp: .otp
        }
    }

    /// The label the client sees.
    public var label: String {
        switch self {
        case .quickReply(let text), .url(let text, _, _), .phoneNumber(let text, _): text
        case .otp(let button): button.text
        case .copyCode: Self.copyCodeLabel
        }
    }

    /// Whether the URL ends with the variable `{{1}}` (only URL buttons can).
    public var hasURLVariable: Bool {
        if case .url(_, let url, _) = self { return url.hasSuffix(TemplateButton.urlVariable) }
        return false
    }

    /// The one variable a URL may end with.
    static let urlVariable = "{{1}}"

    /// The wire form, e.g. `{"type": "URL", "text": "Track", "url": "https://...{{1}}", "example": "abc"}`.
    public var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["type": .string(type.rawValue)]
        switch self {
        case .quickReply(let text):
            fields["text"] = .string(text)
        case .url(let text, let url, let example):
            fields["text"] = .string(text)
            fields["url"] = .string(url)
            if let example { fields["example"] = .string(example) }
        case .phoneNumber(let text, let number):
            fields["text"] = .string(text)
            fields["phone_number"] = .string(number)
        case .copyCode(let example):
            fields["example"] = .string(example)
        case .otp(let button):
            fields.merge(button.fields) { kept, _ in kept }
        }
        return fields
    }
}
