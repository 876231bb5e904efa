/// A WhatsApp template message of a tenant, bound to one of its WhatsApp numbers (family `templates`).
///
/// Meta keys templates by (WABA, name, language); the store derives the WABA from the number and
/// enforces that key itself, so ``uniqueKeys`` is empty. The review status is server state
/// (``TemplateStatus``), not content.
public struct WhatsAppTemplate: ResourceContent, Hashable {
    public static let kind = ResourceKind.template

    /// The number (`wan_...`) the template belongs to; a reference the store checks.
    public var whatsappNumberId: String
    /// `^[a-z0-9_]{1,512}$`.
    public var name: String
    /// A WhatsApp language code (`cs`, `en_US`).
    public var language: String
    public var category: TemplateCategory
    public var parameterFormat: TemplateParameterFormat
    public var components: TemplateComponents
    /// Seconds WhatsApp keeps trying to deliver (``TemplateTimeToLive``); nil: Meta's default.
    public var messageSendTTLSeconds: Int64?

    public init(
        whatsappNumberId: String, name: String, language: String, category: TemplateCategory,
        parameterFormat: TemplateParameterFormat = .positional, components: TemplateComponents, messageSendTTLSeconds: Int64? = nil
    ) {
        self.whatsappNumberId = whatsappNumberId
        self.name = name
        self.language = language
        self.category = category
        self.parameterFormat = parameterFormat
        self.components = components
        self.messageSendTTLSeconds = messageSendTTLSeconds
    }

    public var fields: [String: JSONValue] {
        [
            "whatsapp_number_id": .string(whatsappNumberId),
            "name": .string(name),
            "language": .string(language),
            "category": .string(category.rawValue),
            "parameter_format": .string(parameterFormat.rawValue),
            "components": .object(components.fields),
            "message_send_ttl_seconds": messageSendTTLSeconds.map(JSONValue.int) ?? .null,
        ]
    }

    /// The name (already lower-case).
    public var nameKey: String { name }

    /// Meta edits only a template's category, components and time-to-live: its number, name and
    /// language stay (a template in another language is another template).
    public static var immutableFields: Set<String> { ["whatsapp_number_id", "name", "language"] }

    /// Empty: the (WABA of the number, name, language) key is enforced by the store.
    public var uniqueKeys: [UniqueKey] { [] }

    public var references: [ResourceReference] {
        [ResourceReference(field: "whatsapp_number_id", kind: .whatsappNumber, id: whatsappNumberId)]
    }
}
