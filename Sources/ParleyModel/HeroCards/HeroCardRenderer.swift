/// Renders a hero card in one language: the Bot Framework attachment for every channel and, for
/// WHATSAPP cards, the Cloud API message object (without `to`, which the sender fills in).
public enum HeroCardRenderer {
    /// The Bot Framework content type of a hero card attachment.
    public static let contentType = "application/vnd.microsoft.card.hero"

    /// `{"language", "requested_language", "fell_back", "attachment", "whatsapp"?}`.
    ///
    /// `language` picks the localization (see ``chooseLanguage(_:in:)``); a malformed code throws
    /// ``ConfigError/invalid(_:)`` at path `language`.
    public static func render(_ card: HeroCard, language: String?) throws(ConfigError) -> JSONValue {
        if let language, !TextRules.isWhatsAppLanguage(language) {
            throw .invalid([ValidationIssue(path: "language", message: HeroCard.languageMessage)])
        }
        let used = chooseLanguage(language, in: card)
        guard let localization = card.localizations[used] else {
            throw .invalid([ValidationIssue(path: "localizations", message: "must have at least one localization")])
        }
        var result: [String: JSONValue] = [
            "language": .string(used),
            "requested_language": .optional(language),
            "fell_back": .bool(language.map { $0 != used } ?? false),
            "attachment": attachment(localization),
        ]
        if card.channel == .whatsapp {
            result["whatsapp"] = whatsappMessage(localization)
        }
        return .object(result)
    }

    /// The Bot Framework attachment `{"contentType", "content"}`. As Bot Framework serialises a
    /// `HeroCard`, absent texts and empty `images` / `buttons` are left out (never null or empty).
    public static func attachment(_ localization: HeroCardLocalization) -> JSONValue {
        var content: [String: JSONValue] = [:]
        content["title"] = localization.title.map(JSONValue.string)
        content["subtitle"] = localization.subtitle.map(JSONValue.string)
        content["text"] = localization.text.map(JSONValue.string)
        if !localization.images.isEmpty {
            content["images"] = .array(localization.images.map(cardImage))
        }
        if !localization.buttons.isEmpty {
            content["buttons"] = .array(localization.buttons.map(\.json))
        }
        content["tap"] = localization.tap?.json
        return ["contentType": .string(contentType), "content": .object(content)]
    }

    /// A Bot Framework `CardImage`: `{"url", "alt"?}`.
    static func cardImage(_ image: HeroCardImage) -> JSONValue {
        var members: [String: JSONValue] = ["url": .string(image.url)]
        members["alt"] = image.alt.map(JSONValue.string)
        return .object(members)
    }
}
