/// The optional header of a template.
public enum TemplateHeader: Sendable, Hashable {
    /// Up to 60 characters with at most one variable.
    case text(TemplateText)
    /// An IMAGE, VIDEO or DOCUMENT header; `exampleURL` is the https sample shown to Meta's review
    /// (and the file sent when a render gives no other).
    case media(TemplateHeaderFormat, exampleURL: String)
    /// A map pin whose coordinates are given when the template is sent.
    case location

    /// The header's format.
    public var format: TemplateHeaderFormat {
        switch self {
        case .text: .text
        case .media(let format, _): format
        case .location: .location
        }
    }

    /// The wire form: `{"format": "TEXT", "text", "examples"}`, `{"format": "IMAGE", "example_url"}`
    /// or `{"format": "LOCATION"}`.
    public var fields: [String: JSONValue] {
        var fields: [String: JSONValue] = ["format": .string(format.rawValue)]
        switch self {
        case .text(let text): fields.merge(text.fields) { _, new in new }
        case .media(_, let url): fields["example_url"] = .string(url)
        case .location: break
        }
        return fields
    }
}
