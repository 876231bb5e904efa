/// One image of a hero card: a Bot Framework `CardImage` `{url, alt}`.
public struct HeroCardImage: Sendable, Hashable {
    /// An absolute `https` URL (`http` is accepted on WEBCHAT and APPLE cards).
    public var url: String
    /// Alternative text, 1-200 characters, if any.
    public var alt: String?

    public init(url: String, alt: String? = nil) {
        self.url = url
        self.alt = alt
    }

    /// The stored form: `{"url", "alt"}` with `alt` null when absent.
    public var fields: JSONValue {
        ["url": .string(url), "alt": .optional(alt)]
    }

    /// Reads one image object; `limits` is nil when the card's channel is unknown.
    static func read(from reader: inout ParamReader, limits: HeroCardLimits?) -> HeroCardImage? {
        let problems = reader.issues.count
        let url = readURL(reader.string("url", required: true), httpsOnly: limits?.httpsImagesOnly ?? false, into: &reader)
        let alt = TextRules.displayText(reader.string("alt"), field: "alt", lengths: 1...HeroCardLimits.altLength, into: &reader)
        guard let url, reader.issues.count == problems else { return nil }
        return HeroCardImage(url: url, alt: alt)
    }

    private static func readURL(_ raw: String?, httpsOnly: Bool, into reader: inout ParamReader) -> String? {
        guard let raw else { return nil }
        let url = TextRules.trimmed(raw)
        guard FieldRules.isWebURL(url, allowingHTTP: !httpsOnly), TextRules.length(url) <= HeroCardLimits.urlLength else {
            let limit = "of at most \(HeroCardLimits.urlLength) characters"
            reader.report(
                "url",
                httpsOnly
                    ? "must be an absolute https URL \(limit) (WhatsApp cards accept https images only)"
                    : "must be an absolute http or https URL \(limit)")
            return nil
        }
        return url
    }
}
