/// A hero card of a tenant (family `hero_cards`): a Bot Framework hero card in several languages,
/// for one channel. A WHATSAPP card may point at the template sent in its place outside the 24-hour window.
public struct HeroCard: ResourceContent, Hashable {
    public static let kind = ResourceKind.heroCard

    /// Display name, 1-100 characters, unique per tenant and channel ignoring case.
    public var name: String
    public var channel: HeroCardChannel
    /// The language rendered when the requested one has no localization; a key of ``localizations``.
    public var defaultLanguage: String
    /// WhatsApp language code (`cs`, `en_US`) -> content; at least one entry.
    public var localizations: [String: HeroCardLocalization]
    /// A template of the same tenant (WHATSAPP cards only).
    public var templateId: String?

    public init(
        name: String, channel: HeroCardChannel, defaultLanguage: String, localizations: [String: HeroCardLocalization],
        templateId: String? = nil
    ) {
        self.name = name
        self.channel = channel
        self.defaultLanguage = defaultLanguage
        self.localizations = localizations
        self.templateId = templateId
    }

    public var nameKey: String { name.lowercased() }

    /// The name, unique among the tenant's cards of the same channel (`WEBCHAT:welcome`).
    public var uniqueKeys: [UniqueKey] {
        [
            UniqueKey(
                scope: .tenant, name: "name", value: "\(channel.rawValue):\(nameKey)", field: "name",
                message: "a \(channel.rawValue) hero card named \"\(name)\" already exists")
        ]
    }

    /// The template the card points at, if any.
    public var references: [ResourceReference] {
        templateId.map { [ResourceReference(field: "template_id", kind: .template, id: $0)] } ?? []
    }

    /// `name`, `channel`, `default_language`, `localizations` and `template_id` (null when absent).
    public var fields: [String: JSONValue] {
        [
            "name": .string(name),
            "channel": .string(channel.rawValue),
            "default_language": .string(defaultLanguage),
            "localizations": .object(localizations.mapValues(\.fields)),
            "template_id": .optional(templateId),
        ]
    }
}
