/// What an AUTHENTICATION template says besides its button, as Meta takes it: Meta's preset text,
/// not free text. The body is fixed (`*{{1}}* is your verification code.`, localized by Meta),
/// with Meta's security sentence when `add_security_recommendation`; the footer is only Meta's
/// expiry sentence, for `code_expiration_minutes` (1 to 90). No header, no URL, no emoji.
public struct TemplateAuthentication: Sendable, Hashable {
    /// Whether the body adds "For your security, do not share this code."
    public var addSecurityRecommendation: Bool
    /// Minutes after which the code expires, shown in the footer; nil: no footer (and a one-tap
    /// button is disabled 10 minutes after the send).
    public var codeExpirationMinutes: Int?

    public init(addSecurityRecommendation: Bool = false, codeExpirationMinutes: Int? = nil) {
        self.addSecurityRecommendation = addSecurityRecommendation
        self.codeExpirationMinutes = codeExpirationMinutes
    }

    /// Meta's expiry range.
    public static let expirationMinutes = 1...90

    /// The English body Meta sends (its Message Template Previews give it so), `{{1}}` the code.
    public var previewBody: String {
        "*{{1}}* is your verification code." + (addSecurityRecommendation ? " For your security, do not share this code." : "")
    }

    /// The English footer Meta sends, or nil without an expiry.
    public var previewFooter: String? {
        codeExpirationMinutes.map { "This code expires in \($0) minute\($0 == 1 ? "" : "s")." }
    }

    /// The body as a template text (one variable, the code), for what reads a body.
    var body: TemplateText { TemplateText(text: previewBody, examples: ["1": "123456"]) }

    /// The `body` and `footer` members of the components' wire form.
    var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["body": ["add_security_recommendation": .bool(addSecurityRecommendation)]]
        if let codeExpirationMinutes { fields["footer"] = ["code_expiration_minutes": .int(Int64(codeExpirationMinutes))] }
        return fields
    }

    /// What Meta refuses in an authentication template's text: emoji and URLs.
    static func contentProblems(_ text: String) -> [String] {
        var problems: [String] = []
        if text.unicodeScalars.contains(where: isEmoji) { problems.append("must not contain emoji: Meta refuses them in AUTHENTICATION templates") }
        let lowered = text.lowercased()
        if ["http://", "https://", "www."].contains(where: lowered.contains) {
            problems.append("must not contain a URL: Meta refuses them in AUTHENTICATION templates")
        }
        return problems
    }

    private static func isEmoji(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isEmojiPresentation || (scalar.properties.isEmoji && scalar.value > 0x2100)
    }
}
